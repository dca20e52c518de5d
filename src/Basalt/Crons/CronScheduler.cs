using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Basalt.Crons;

/// <summary>
/// Runs the cron jobs (§11 <c>/api/crons</c>): at the start of every minute (UTC, from <see cref="TimeProvider"/>) each job
/// whose expression (parsed with Cronos) falls on that minute runs in the background, if <see cref="ICronNodeGate"/>
/// says this node runs it and its previous run has finished. A run asked for by hand starts at once. Jobs get the
/// host's stopping token, and a graceful stop waits for the running ones.
/// </summary>
public sealed class CronScheduler(CronJobs jobs, ICronNodeGate gate, TimeProvider time, ILogger<CronScheduler> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Every job now, in PocketBase's order: ids starting <c>__pb</c> last, each group by id.</summary>
    public Task<IReadOnlyList<CronJob>> ListAsync(CancellationToken cancellationToken) => jobs.ListAsync(cancellationToken);

    /// <summary>Starts the job <paramref name="id"/> now, in the background; false when there is no such job.</summary>
    public async Task<bool> RunNowAsync(string id, CancellationToken cancellationToken)
    {
        var job = (await jobs.ListAsync(cancellationToken)).FirstOrDefault(j => j.Id == id);
        if (job is null)
        {
            return false;
        }

        _ = Start(job, "run by hand");
        return true;
    }

    /// <summary>Runs the jobs due at <paramref name="minute"/> (the scheduler's tick; tests call it with a chosen minute).</summary>
    internal async Task<List<Task>> TickAsync(DateTimeOffset minute, CancellationToken cancellationToken)
    {
        var started = new List<Task>();
        foreach (var job in await jobs.ListAsync(cancellationToken))
        {
            if (IsDue(job, minute) && await gate.ShouldRunAsync(job.Id, minute, cancellationToken) && Start(job, "scheduled") is { } run)
            {
                started.Add(run);
            }
        }

        return started;
    }

    /// <summary>True when <paramref name="job"/>'s expression has an occurrence at exactly <paramref name="minute"/>.</summary>
    internal bool IsDue(CronJob job, DateTimeOffset minute)
    {
        if (!CronJobs.TryParse(job.Expression, out var expression))
        {
            Log.CronExpressionInvalid(logger, job.Id, job.Expression);
            return false;
        }

        var at = minute.UtcDateTime;
        return expression.GetNextOccurrence(at.AddTicks(-1), TimeZoneInfo.Utc) == at;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await base.StopAsync(cancellationToken);
        await Task.WhenAll(_running.Values).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public override void Dispose()
    {
        _stopping.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(1);
            try
            {
                await Task.Delay(next - now, time, stoppingToken);
                await TickAsync(next, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Listing the jobs needs the settings, hence the database; a failed tick is retried at the next minute.
                Log.CronJobFailed(logger, e, "(scheduler)");
            }
        }
    }

    /// <summary>Starts <paramref name="job"/> unless its previous run is still going; returns the run, or null.</summary>
    private Task? Start(CronJob job, string trigger)
    {
        var gateOpen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = RunAsync(job, trigger, gateOpen.Task);
        if (!_running.TryAdd(job.Id, run))
        {
            gateOpen.SetCanceled();
            return null;
        }

        gateOpen.SetResult();
        return run;
    }

    private async Task RunAsync(CronJob job, string trigger, Task admitted)
    {
        try
        {
            await admitted;
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            Log.CronJobStarted(logger, job.Id, trigger);
            await job.RunAsync(_stopping.Token);
            Log.CronJobFinished(logger, job.Id, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopping: the job runs again at its next time after the next start.
        }
        catch (Exception e)
        {
            Log.CronJobFailed(logger, e, job.Id);
        }
        finally
        {
            _running.TryRemove(job.Id, out _);
        }
    }
}
