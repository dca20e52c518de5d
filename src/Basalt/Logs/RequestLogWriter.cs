using Basalt.Common;
using Basalt.Settings;
using Microsoft.Extensions.Logging;

namespace Basalt.Logs;

/// <summary>
/// Takes request logs off the request's path: requests drop their entry into a bounded queue and return; one loop
/// writes what has gathered in batches of up to <see cref="BatchSize"/> (one transaction each). Entries older than
/// <c>logs.maxDays</c> are pruned by the <c>__pbLogsCleanup__</c> cron job through <see cref="PruneAsync"/>. When the
/// store falls behind, new entries are dropped (and counted), never the requests slowed.
/// </summary>
public sealed class RequestLogWriter(LogStore store, SettingsService settings, TimeProvider time, ILogger<RequestLogWriter> logger) : QueueWorker<LogEntry>(Capacity)
{
    public const int Capacity = 10_000;
    public const int BatchSize = 500;

    /// <summary>
    /// How long the loop lets entries gather before writing them, unless a whole batch is already waiting. Without it a
    /// steady stream of requests is written a handful of entries per transaction, and those transactions cost more
    /// CPU than the requests they log; a log shows up this much later, which nobody reading logs notices.
    /// </summary>
    public static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(250);

    private long _dropped;

    /// <summary>Entries dropped since start because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Queues <paramref name="entry"/>; never waits.</summary>
    public void Enqueue(LogEntry entry)
    {
        // After StopAsync the queue is closed: requests still finishing are not logged, and that is not a full queue.
        if (!Queue.Writer.TryWrite(entry) && !Stopping && Interlocked.Increment(ref _dropped) == 1)
        {
            Log.RequestLogQueueFull(logger, Capacity);
        }
    }

    /// <summary>Writes everything queued so far; for tests and for a clean shutdown.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var batch = new List<LogEntry>(BatchSize);
        while (Queue.Reader.TryRead(out var entry))
        {
            batch.Add(entry);
            if (batch.Count == BatchSize)
            {
                await WriteAsync(batch, cancellationToken);
                batch.Clear();
            }
        }

        await WriteAsync(batch, cancellationToken);
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.EnsureTableAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override void DrainTimedOut(int left) => Log.RequestLogDrainTimedOut(logger, left);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await Queue.Reader.WaitToReadAsync(stoppingToken))
            {
                if (Queue.Reader.Count < BatchSize && !Stopping)
                {
                    await Task.Delay(Linger, time, stoppingToken);
                }

                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The shutdown timeout ran out before the queue was written.
        }
    }

    /// <summary>Deletes the logs older than <c>logs.maxDays</c> (the <c>__pbLogsCleanup__</c> cron job).</summary>
    public async Task PruneAsync(CancellationToken cancellationToken)
    {
        var maxDays = (await settings.GetAsync(cancellationToken)).Logs.MaxDays;
        var cutoff = DateFormat.Format(time.GetUtcNow().AddDays(-Math.Max(maxDays, 0)));
        var deleted = await store.DeleteAsync(cutoff, cancellationToken);
        Log.RequestLogsPruned(logger, deleted, maxDays);
    }

    private async Task WriteAsync(List<LogEntry> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await store.InsertAsync(batch, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.RequestLogWriteFailed(logger, e, batch.Count);
        }
    }
}
