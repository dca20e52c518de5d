using Basalt.Common;
using Microsoft.Extensions.Logging;

namespace Basalt.Mail;

/// <summary>The mail outbox's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(BasaltEventIds.MailQueueFull, LogLevel.Error, "The mail outbox is full ({Capacity} emails); the {Purpose} email to {Recipient} was dropped")]
    public static partial void MailQueueFull(ILogger logger, int capacity, string purpose, string recipient);

    [LoggerMessage(BasaltEventIds.MailSent, LogLevel.Debug, "Sent the {Purpose} email to {Recipient} (attempt {Attempt})")]
    public static partial void MailSent(ILogger logger, string purpose, string recipient, int attempt);

    [LoggerMessage(BasaltEventIds.MailSendRetrying, LogLevel.Warning, "Sending the {Purpose} email to {Recipient} failed (attempt {Attempt} of {MaxAttempts}); retrying in {Delay}")]
    public static partial void MailSendRetrying(ILogger logger, Exception exception, string purpose, string recipient, int attempt, int maxAttempts, TimeSpan delay);

    [LoggerMessage(BasaltEventIds.MailSendFailed, LogLevel.Error, "Sending the {Purpose} email to {Recipient} failed after {Attempts} attempts; it is dropped")]
    public static partial void MailSendFailed(ILogger logger, Exception exception, string purpose, string recipient, int attempts);

    [LoggerMessage(BasaltEventIds.MailDrainTimedOut, LogLevel.Error, "Shutting down with {Count} emails still in the outbox; they are not sent")]
    public static partial void MailDrainTimedOut(ILogger logger, int count);
}
