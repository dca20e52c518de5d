using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Basalt.Mail;

/// <summary>
/// The one background sender of emails a request must not wait for (verification, password reset, OTP, login alert):
/// a bounded queue drained by one loop that retries a failed send with backoff, and that the host's graceful shutdown
/// waits for, so an acknowledged request's email is not lost when the server stops.
/// </summary>
public sealed class MailOutbox(Mailer mailer, TimeProvider time, ILogger<MailOutbox> logger) : BackgroundService
{
    /// <summary>Queued emails beyond this are dropped (and logged): a stuck SMTP server must not grow memory without bound.</summary>
    public const int Capacity = 1000;

    /// <summary>Attempts per email before it is dropped; with <see cref="FirstRetryDelay"/> doubling, about 30 s of retries.</summary>
    public const int MaxAttempts = 5;

    private readonly Channel<QueuedEmail> _queue = Channel.CreateBounded<QueuedEmail>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Delay before the first retry; each later retry waits twice as long.</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Emails waiting to be sent (including the one being sent).</summary>
    public int Count => _queue.Reader.Count;

    /// <summary>Queues <paramref name="email"/> for sending; false (logged) when the queue is full or the host is stopping.</summary>
    public bool Enqueue(Email email, string purpose)
    {
        if (_queue.Writer.TryWrite(new QueuedEmail(email, purpose)))
        {
            return true;
        }

        Log.MailQueueFull(logger, Capacity, purpose, email.To);
        return false;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Stop taking new emails, then let the loop send what is queued until the host's shutdown timeout runs out.
        _queue.Writer.TryComplete();
        if (ExecuteTask is { } loop)
        {
            try
            {
                await loop.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Log.MailDrainTimedOut(logger, _queue.Reader.Count);
            }
        }

        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var item in _queue.Reader.ReadAllAsync(stoppingToken))
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

    private sealed record QueuedEmail(Email Email, string Purpose);
}
