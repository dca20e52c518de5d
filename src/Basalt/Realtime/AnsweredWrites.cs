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
    public const int MaxRows = 8_192;

    /// <inheritdoc cref="MaxRows"/>
    public const int MaxRuns = 64;

    private static readonly Task<IdRuns> NothingRead = Task.FromResult(IdRuns.None);

    private readonly Lock _gate = new();
    private long _begun;
    private TaskCompletionSource<IdRuns>? _running;
    private TaskCompletionSource<IdRuns>? _queued;
    private (long Number, Task<IdRuns> Runs) _finished = (0, NothingRead);

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
            return NothingRead;
        }

        TaskCompletionSource<IdRuns> begin;
        long number;
        lock (_gate)
        {
            // Reads are numbered as they begin: the one numbered above the ticket began after it, finished or not.
            if (_finished.Number > ticket)
            {
                return _finished.Runs;
            }

            if (_running is { } running && _begun > ticket)
            {
                return running.Task;
            }

            if (_queued is { } queued)
            {
                return queued.Task;
            }

            if (_running is not null)
            {
                // Begun when the running read ends (RunAsync), for everyone who arrives meanwhile.
                _queued = new TaskCompletionSource<IdRuns>(TaskCreationOptions.RunContinuationsAsynchronously);
                return _queued.Task;
            }

            begin = _running = new TaskCompletionSource<IdRuns>(TaskCreationOptions.RunContinuationsAsynchronously);
            number = ++_begun;
        }

        _ = RunAsync(number, begin);
        return begin.Task;
    }

    /// <summary>Runs a read, then the one queued meanwhile if any, and so on.</summary>
    private async Task RunAsync(long number, TaskCompletionSource<IdRuns> read)
    {
        while (true)
        {
            var runs = await ReadRunsAsync();
            TaskCompletionSource<IdRuns>? next;
            lock (_gate)
            {
                _finished = (number, read.Task);
                next = _running = _queued;
                _queued = null;
                if (next is not null)
                {
                    number = ++_begun;
                }
            }

            read.SetResult(runs);
            if (next is null)
            {
                return;
            }

            read = next;
        }
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
        catch (ObjectDisposedException)
        {
            // The host is stopping and the database closed: the subscribe is moot.
            return IdRuns.None;
        }
        catch (Exception e)
        {
            // Whatever failed, the subscribes waiting on this read must go on: each one is answered, never left waiting.
            Log.RealtimeAnsweredWritesFailed(logger, after, e);
            return IdRuns.None;
        }
    }
}
