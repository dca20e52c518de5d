using System.Data.Common;
using Basalt.Settings;
using Basalt.Storage;
using Basalt.Storage.Tables;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Basalt.Realtime;

/// <summary>
/// Keeps the change log to the <c>realtime</c> settings' retention (10 minutes or 100,000 entries by default): every
/// <see cref="Interval"/> it deletes what is older or beyond the count, a chunk per write so the writer is never held
/// long. A client that resumes from an id pruned this way gets <see cref="RealtimeTopics.Reset"/>.
/// </summary>
public sealed class ChangeLogPruner(ChangeLogStore log, SettingsService settings, TimeProvider time, ILogger<ChangeLogPruner> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    /// <summary>Prunes now; returns how many entries went.</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        var retention = (await settings.GetAsync(cancellationToken)).Realtime;
        // Clamped: settings stored before their limit was checked must not stop the pruner (or the host with it).
        var minutes = Math.Clamp(retention.RetentionMinutes, 1, RealtimeSettings.MaxRetentionMinutes);
        var cutoff = time.GetUtcNow().AddMinutes(-minutes).ToUnixTimeMilliseconds();
        var total = 0;
        int deleted;
        do
        {
            deleted = await log.PruneAsync(cutoff, retention.RetentionEvents, cancellationToken);
            total += deleted;
        }
        while (deleted >= ChangeLogStore.PruneChunk);

        if (total > 0)
        {
            Log.ChangeLogPruned(logger, total);
        }

        return total;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await PruneAsync(stoppingToken);
                }
                catch (Exception e) when (e is DbException or ReadTimeoutException or TimeoutException)
                {
                    Log.ChangeLogPruneFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // the host is stopping
        }
    }
}
