using System.Data;
using System.Diagnostics;
using System.Threading.Channels;
using Basalt.Common;
using Basalt.Storage.Changes;
using Basalt.Storage.Tables;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Basalt.Storage.Postgres;

/// <summary>
/// Commits concurrent units whose only statement is one held-back write (a create) together: one transaction, one
/// round trip, one WAL flush, one count update per collection and one change-log insert for the whole group. A few
/// groups run at once; units that arrive while they run make up the next ones, so a lone unit is never held back.
/// A group a statement fails in (a taken id) is rolled back whole and each of its units runs again alone, so only the
/// failing one sees the error, as it would have without the group. A group waits for another transaction's lock only
/// briefly (<see cref="LockTimeout"/>): past it, its units run alone too, each waiting for what it needs by itself.
/// </summary>
/// <remarks>
/// A create was a transaction of its own: BEGIN, the record, a count slot, the change-log entry, COMMIT. PostgreSQL's
/// work per create was 2.2 × a plain autocommitted insert's, and most of the difference is per transaction, not per
/// row: the count slot's lock and update, the commit record, the executor's start for each statement. A group pays
/// those once. The units' own connections go back to the pool before they wait, so waiting units never hold the
/// connections a group needs.
/// </remarks>
internal sealed class PostgresCommitGroups : IAsyncDisposable
{
    /// <summary>Units in one group at most: the change-log insert of a group is one statement of as many rows.</summary>
    public const int MaxGroup = 64;

    /// <summary>
    /// The longest a group waits for a lock another transaction holds (the groups' connections carry it as
    /// <c>lock_timeout</c>). A create waits for one only when another open transaction inserted the same id, or holds
    /// every count slot of the collection; a client could keep such a transaction open for seconds (a batch request)
    /// and, without the bound, stall every create of the node queued behind the groups it blocks. Normal waits are a
    /// commit's WAL flush, milliseconds.
    /// </summary>
    public static readonly TimeSpan LockTimeout = TimeSpan.FromMilliseconds(200);

    private readonly NpgsqlDataSource _source;
    private readonly NpgsqlDataSource _aloneSource;
    private int _alone;
    private readonly ISqlDialect _dialect;
    private readonly PostgresCountSlots _slots;
    private readonly Action<long> _committed;
    private readonly ILogger _logger;
    private readonly Channel<Unit> _queue = Channel.CreateUnbounded<Unit>(new UnboundedChannelOptions { SingleWriter = false, SingleReader = false });
    private readonly Task[] _runners;

    /// <param name="source">The groups' pool, one connection per group running, with <see cref="LockTimeout"/> set.</param>
    /// <param name="aloneSource">The write pool, where a unit runs alone, waiting for locks as long as it takes.</param>
    /// <param name="committed">Told the newest change-log id of each group that committed.</param>
    /// <param name="groups">How many groups may run at once.</param>
    public PostgresCommitGroups(NpgsqlDataSource source, NpgsqlDataSource aloneSource, ISqlDialect dialect, PostgresCountSlots slots, Action<long> committed, ILogger logger, int groups)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(groups);
        _source = source;
        _aloneSource = aloneSource;
        _dialect = dialect;
        _slots = slots;
        _committed = committed;
        _logger = logger;
        _runners = new Task[groups];
        for (var i = 0; i < groups; i++)
        {
            _runners[i] = Task.Run(RunAsync);
        }
    }

    /// <summary>
    /// Commits <paramref name="write"/> and its change-log entry <paramref name="change"/> with whatever units are waiting;
    /// returns the newest change-log id of its group once it has committed, or throws what failed its own write. Not
    /// cancellable: once queued, the caller must learn whether it committed.
    /// </summary>
    public Task<long> CommitAsync(SqlBuilder write, PendingChange change)
    {
        var unit = new Unit(write, change);
        return _queue.Writer.TryWrite(unit) ? unit.Task : Task.FromException<long>(new ObjectDisposedException(nameof(PostgresCommitGroups)));
    }

    /// <summary>Units waiting for a group to take them.</summary>
    public int Queued => _queue.Reader.Count;

    /// <summary>Takes no more units, lets the queued ones commit, then returns.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_runners);
        while (Volatile.Read(ref _alone) > 0)
        {
            await Task.Delay(10);
        }
    }

    private async Task RunAsync()
    {
        var group = new List<Unit>(MaxGroup);
        var reader = _queue.Reader;
        while (true)
        {
            // ReadAsync wakes one runner per unit; the others keep sleeping.
            try
            {
                group.Add(await reader.ReadAsync());
            }
            catch (ChannelClosedException)
            {
                return;
            }

            while (group.Count < MaxGroup && reader.TryRead(out var next))
            {
                group.Add(next);
            }

            await RunGroupAsync(group);
            group.Clear();
        }
    }

    private async Task RunGroupAsync(List<Unit> group)
    {
        var started = Stopwatch.GetTimestamp();
        using var span = BasaltTracing.Source.StartActivity("postgresql commit group", ActivityKind.Client);
        span?.SetTag("db.system", "postgresql");
        span?.SetTag("basalt.writes", group.Count);
        long newest;
        try
        {
            newest = await CommitTogetherAsync(_source, group);
        }
        catch (PostgresException refused) when (refused.InvariantSeverity == "ERROR" &&
                                                (group.Count > 1 || refused.SqlState == PostgresErrorCodes.LockNotAvailable))
        {
            // PostgreSQL refused a statement (not the session: that would be FATAL), or the group waited too long for a
            // lock, so its transaction rolled back and nothing of it is stored. Each unit runs again alone, at once and
            // off this runner: only the one at fault fails, and one that waits for a lock waits by itself.
            var level = refused.SqlState == PostgresErrorCodes.LockNotAvailable ? LogLevel.Information : LogLevel.Debug;
            Log.CommitGroupRerunAlone(_logger, level, group.Count, refused.SqlState, refused.MessageText);
            foreach (var unit in group)
            {
                Interlocked.Increment(ref _alone);
                _ = RunAloneAsync(unit);
            }

            return;
        }
        catch (Exception ex)
        {
            // A lost connection, or COMMIT's own failure: whether anything committed is not known here, as for a unit
            // that commits on its own connection, so each caller gets the error rather than a second attempt.
            if (ex is not PostgresException { InvariantSeverity: "ERROR" })
            {
                Log.CommitGroupFailed(_logger, ex, group.Count);
            }

            span?.SetStatus(ActivityStatusCode.Error, ex.Message);
            foreach (var unit in group)
            {
                unit.TrySetException(ex);
            }

            return;
        }

        BasaltMetrics.GroupCommitWrites.Record(group.Count);
        BasaltMetrics.CommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        Complete(group, newest);
    }

    private void Complete(List<Unit> group, long newest)
    {
        // Woken before the units are answered, as a unit committing on its own connection wakes them before it returns.
        _committed(newest);
        foreach (var unit in group)
        {
            unit.TrySetResult(newest);
        }
    }

    private async Task RunAloneAsync(Unit unit)
    {
        await Task.Yield();
        try
        {
            Complete([unit], await CommitTogetherAsync(_aloneSource, [unit]));
        }
        catch (Exception ex)
        {
            unit.TrySetException(ex);
        }
        finally
        {
            Interlocked.Decrement(ref _alone);
        }
    }

    private async Task<long> CommitTogetherAsync(NpgsqlDataSource source, List<Unit> group)
    {
        await using var connection = await source.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted);
        var writes = new List<SqlBuilder>(group.Count);
        var changes = new List<PendingChange>(group.Count);
        foreach (var unit in group)
        {
            writes.Add(unit.Write);
            changes.Add(unit.Change);
        }

        var firstSlot = _slots.Take();
        try
        {
            return await ChangeLogStore.AppendAsync(connection, transaction, _dialect, changes, writes, true, Math.Max(firstSlot, 0), CancellationToken.None);
        }
        finally
        {
            _slots.Release(firstSlot);
        }
    }

    private sealed class Unit(SqlBuilder write, PendingChange change) : TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public SqlBuilder Write { get; } = write;

        public PendingChange Change { get; } = change;
    }
}
