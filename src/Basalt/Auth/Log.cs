using Basalt.Common;
using Microsoft.Extensions.Logging;

namespace Basalt.Auth;

/// <summary>The log messages of superusers, OAuth2 providers and the auth emails sent while the caller waits.</summary>
internal static partial class Log
{
    [LoggerMessage(BasaltEventIds.SuperuserCreated, LogLevel.Information, "Created the superuser {Email}")]
    public static partial void SuperuserCreated(ILogger logger, string email);

    [LoggerMessage(BasaltEventIds.SuperuserUpdated, LogLevel.Information, "Set a new password for the superuser {Email} ({RecordId}); its earlier tokens no longer work")]
    public static partial void SuperuserUpdated(ILogger logger, string email, string recordId);

    [LoggerMessage(BasaltEventIds.OAuth2ProviderCallFailed, LogLevel.Warning, "The OAuth2 call to {Endpoint} failed: {Failure}")]
    public static partial void OAuth2ProviderCallFailed(ILogger logger, Exception? exception, string endpoint, string failure);

    // The same event at Debug: a 400 from the token endpoint is what a stale, replayed or forged code gets, which any
    // client can provoke at will, so at Warning it would let anyone fill the log.
    [LoggerMessage(BasaltEventIds.OAuth2ProviderCallFailed, LogLevel.Debug, "The OAuth2 call to {Endpoint} failed: {Failure}")]
    public static partial void OAuth2ProviderRefusedCode(ILogger logger, string endpoint, string failure);

    [LoggerMessage(BasaltEventIds.EmailChangeMailFailed, LogLevel.Error, "Sending the email change confirmation for record {RecordId} failed; the request answered 400")]
    public static partial void EmailChangeMailFailed(ILogger logger, Exception exception, string recordId);

    [LoggerMessage(BasaltEventIds.TestMailFailed, LogLevel.Warning, "Sending the test {Template} email failed; the request answered 400")]
    public static partial void TestMailFailed(ILogger logger, Exception exception, string template);

    [LoggerMessage(BasaltEventIds.InstallLinkIssued, LogLevel.Information, "No superuser exists: made a one-time install link, valid until {Expires}")]
    public static partial void InstallLinkIssued(ILogger logger, DateTimeOffset expires);

    [LoggerMessage(BasaltEventIds.SuperuserInstalled, LogLevel.Information, "Created the first superuser {Email} through the install link")]
    public static partial void SuperuserInstalled(ILogger logger, string email);

    [LoggerMessage(BasaltEventIds.InstallRefused, LogLevel.Warning, "Refused an install: {Reason}")]
    public static partial void InstallRefused(ILogger logger, string reason);
}
