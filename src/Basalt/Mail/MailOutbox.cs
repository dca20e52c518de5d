using Basalt.Common;
using Microsoft.Extensions.Logging;

namespace Basalt.Mail;

/// <summary>
/// The one background sender of emails a request must not wait for (verification, password reset, OTP, login alert):
/// a bounded queue drained by one loop that retries a failed send with backoff, and that the host's graceful shutdown
/// waits for, so an acknowledged request's email is not lost when the server stops.
/// </summary>
public sealed class MailOutbox(Mailer mailer, TimeProvider time, ILogger<MailOutbox> logger) : QueueWorker<MailOutbox.QueuedEmail>(Capacity)
{
    /// <summary>Queued emails beyond this are dropped (and logged): a stuck SMTP server must not grow memory without bound.</summary>
    public const int Capacity = 1000;

    /// <summary>Attempts per email before it is dropped; with <see cref="FirstRetryDelay"/> doubling, about 30 s of retries.</summary>
    public const int MaxAttempts = 5;

    /// <summary>Delay before the first retry; each later retry waits twice as long.</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Queues <paramref name="email"/> for sending; false (logged) when the queue is full or the host is stopping.</summary>
    public bool Enqueue(Email email, string purpose)
    {
        if (Queue.Writer.TryWrite(new QueuedEmail(email, purpose)))
        {
            return true;
        }

        Log.MailQueueFull(logger, Capacity, purpose, email.To);
        return false;
    }

    protected override void DrainTimedOut(int left) => Log.MailDrainTimedOut(logger, left);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var item in Queue.Reader.ReadAllAsync(stoppingToken))
            {
                await SendWithRetriesAsync(item, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The shutdown timeout ran out; StopAsync has logged what is left.
        }
    }

    private async Task SendWithRetriesAsync(QueuedEmail item, CancellationToken stoppingToken)
    {
        using var span = BasaltTracing.Source.StartActivity("mail send");
        span?.SetTag("basalt.mail.purpose", item.Purpose);
        var delay = FirstRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await mailer.SendAsync(item.Email, stoppingToken);
                Log.MailSent(logger, item.Purpose, item.Email.To, attempt);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                if (attempt >= MaxAttempts)
                {
                    Log.MailSendFailed(logger, e, item.Purpose, item.Email.To, attempt);
                    return;
                }

                Log.MailSendRetrying(logger, e, item.Purpose, item.Email.To, attempt, MaxAttempts, delay);
                await Task.Delay(delay, time, stoppingToken);
                delay *= 2;
            }
        }
    }

    /// <summary>An email in the outbox, with what it is for (for the logs).</summary>
    public sealed record QueuedEmail(Email Email, string Purpose);
}
