using Basalt.Storage;
using Basalt.Storage.Tables;
using Microsoft.Extensions.Logging;

namespace Basalt.Realtime;

/// <summary>
/// Which change-log entries past the settled head have committed already, for new subscriptions to skip: on PostgreSQL
/// the head waits while an older id is still open, and a subscriber must neither get a write answered before it nor
/// miss that older one, which commits after. One read serves every subscribe that arrived before it began, so a burst
/// of subscribes costs the read under way and one more, whatever their number.
/// </summary>
internal sealed class AnsweredWrites(ChangeLogStore log, ILogger logger)
{
    /// <summary>Entries one read looks at, and runs of consecutive ids it keeps, at most: past them, a subscriber is
    /// also sent writes answered before it (a transaction held open during many writes) rather than risk missing one.</summary>
    public const int MaxRows = 65_536;

    /// <inheritdoc cref="MaxRows"/>
    public const int MaxRuns = 64;

    private readonly Lock _gate = new();
    private long _begun;
    private Task<IdRuns>? _latest;
    private TaskCompletionSource<IdRuns>? _queued;

    /// <summary>Taken as a subscribe arrives: any read begun after it sees every write answered before.</summary>
    public long Ticket
    {
        get
        {
            lock (_gate)
            {
                return _begun;
            }
        }
    }

    /// <summary>The entries past the head committed as of a read begun after <paramref name="ticket"/> was taken.</summary>
    public Task<IdRuns> ReadAsync(long ticket)
    {
        if (!log.Database.Changes.Settles)
        {
            // SQLite commits in id order: the head is never behind a write that was answered.
            return Task.FromResult(IdRuns.None);
        }

        lock (_gate)
        {
            if (_begun > ticket)
            {
                return _latest!;
            }

            if (_queued is { } queued)
            {
                return queued.Task;
            }

            if (_latest is { IsCompleted: false } running)
            {
                _queued = new TaskCompletionSource<IdRuns>(TaskCreationOptions.RunContinuationsAsynchronously);
                var next = _queued.Task;
                running.ContinueWith(_ => BeginQueued(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
                return next;
            }

            return Begin();
        }
    }

    private void BeginQueued()
    {
        TaskCompletionSource<IdRuns> queued;
        Task<IdRuns> read;
        lock (_gate)
        {
            queued = _queued!;
            _queued = null;
            read = Begin();
        }

        read.ContinueWith(t => queued.SetResult(t.Result), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    /// <summary>Under the gate.</summary>
    private Task<IdRuns> Begin()
    {
        _begun++;
        return _latest = Task.Run(ReadRunsAsync);
    }

    /// <summary>Never throws: a subscribe the read failed for is sent writes answered before it rather than refused.</summary>
    private async Task<IdRuns> ReadRunsAsync()
    {
        // The dispatcher's position never passes the head, so nothing below it matters to a subscribe.
        var after = log.Database.Changes.Head;
        try
        {
            return new IdRuns(await log.ReadCommittedRunsAsync(after, MaxRows, MaxRuns, CancellationToken.None));
        }
        catch (Exception e)
        {
            // Whatever failed, the subscribes waiting on this read must go on: each one is answered, never left waiting.
            Log.RealtimeAnsweredWritesFailed(logger, after, e);
            return IdRuns.None;
        }
    }
}
