using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using Basalt.Common;
using Basalt.Storage.Changes;
using Basalt.Storage.Tables;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Basalt.Storage.Sqlite;

/// <summary>
/// The single SQLite writer. Units that arrive while a transaction is running join the next one; each unit runs in
/// its own SAVEPOINT so a failure undoes only that unit, then the group ends with one COMMIT (one fsync of the WAL in
/// durable mode) and only then is every caller answered. An idle queue starts a lone unit at once. Each unit appends
/// its change-log entries inside its own savepoint as it ends, so they commit (or roll back) with it; ids follow the
/// order the units ran in, which is commit order since one writer runs them all.
/// </summary>
internal sealed class GroupCommitQueue : IAsyncDisposable
{
    private const string Savepoint = "basalt_unit";

    // The unit whose code is running: a unit that queued another write and awaited it would wait for itself forever.
    // Work a unit leaves behind (a task it did not await) may write once that unit is over.
    private static readonly AsyncLocal<WorkItem?> CurrentUnit = new();

    private readonly SqliteConnection _connection;
    private readonly GroupCommitOptions _options;
    private readonly SqliteDialect _dialect = new();
    private readonly ChangeFeed _changes;
    private readonly ILogger _logger;
    private readonly Channel<WorkItem> _channel = Channel.CreateUnbounded<WorkItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    /// <param name="changes">Pulsed after each group that appended to the change log.</param>
    public GroupCommitQueue(SqliteConnection connection, GroupCommitOptions options, ILogger? logger = null, ChangeFeed? changes = null)
    {
        _connection = connection;
        _options = options;
        _changes = changes ?? new ChangeFeed();
        _logger = logger ?? NullLogger.Instance;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Called after each group commits (or fails to) with the number of units that ran in it; for tests and metrics.</summary>
    public Action<int>? GroupCompleted { get; set; }

    public Task<T> EnqueueAsync<T>(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        if (CurrentUnit.Value is { IsRunning: true })
        {
            return Task.FromException<T>(new InvalidOperationException(
                "WriteAsync was called from inside another WriteAsync unit; use the connection and transaction it was given."));
        }

        var item = new WorkItem<T>(work, cancellationToken);
        if (!_channel.Writer.TryWrite(item))
        {
            return Task.FromException<T>(new ObjectDisposedException(nameof(GroupCommitQueue)));
        }

        return item.Task;
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the writer connection alone, outside any transaction, once the units queued
    /// before it have committed; units queued after it wait until it returns. For work that must own the connection
    /// (a restore copies a whole database into it through SQLite's backup API, which refuses a connection inside a
    /// transaction).
    /// </summary>
    public Task<T> RunExclusiveAsync<T>(Func<SqliteConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        var item = new WorkItem<T>((c, _, ct) => work((SqliteConnection)c, ct), cancellationToken) { Exclusive = true };
        return _channel.Writer.TryWrite(item) ? item.Task : Task.FromException<T>(new ObjectDisposedException(nameof(GroupCommitQueue)));
    }

    /// <summary>Stops taking units, lets the queued ones finish, then returns; the connection stays the caller's.</summary>
    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _loop;
    }

    private async Task RunAsync()
    {
        var reader = _channel.Reader;
        var group = new List<WorkItem>(_options.MaxGroupSize);
        while (await reader.WaitToReadAsync())
        {
            if (reader.TryPeek(out var next) && next.Exclusive)
            {
                if (reader.TryRead(out var alone) && alone.TryStart())
                {
                    await RunAloneAsync(alone);
                }

                continue;
            }

            TakeStarted(group, long.MaxValue);
            if (group.Count == 0)
            {
                continue;
            }

            await RunGroupAsync(group);
            group.Clear();
        }
    }

    private async Task RunGroupAsync(List<WorkItem> group)
    {
        var started = Stopwatch.GetTimestamp();
        using var span = BasaltTracing.Source.StartActivity("sqlite group commit", ActivityKind.Client);
        span?.SetTag("db.system", "sqlite");
        var maxWaitTicks = (long)(_options.MaxGroupWait.TotalSeconds * Stopwatch.Frequency);
        Exception? fatal = null;
        SqliteTransaction? transaction = null;
        var appended = 0L;
        try
        {
            // IMMEDIATE: take the write lock now, so no unit can fail half-way on SQLITE_BUSY lock upgrades.
            transaction = _connection.BeginTransaction(deferred: false);
            for (var i = 0; i < group.Count; i++)
            {
                appended = Math.Max(appended, await RunUnitAsync(group[i], transaction));
                if (i == group.Count - 1)
                {
                    // Units that arrived while this group ran join it, up to the size and time bounds.
                    TakeStarted(group, started + maxWaitTicks);
                }
            }

            var committing = Stopwatch.GetTimestamp();
            transaction.Commit();
            var commit = Stopwatch.GetElapsedTime(committing);
            BasaltMetrics.GroupCommitWrites.Record(group.Count);
            BasaltMetrics.CommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
            BasaltMetrics.CommitSync.Record(commit.TotalSeconds);
            if (commit > _options.SlowCommit)
            {
                Log.GroupCommitSlow(_logger, group.Count, (long)commit.TotalMilliseconds, (long)_options.SlowCommit.TotalMilliseconds);
            }
        }
        catch (Exception ex)
        {
            // A unit's failure is caught inside RunUnitAsync; reaching here means the transaction itself failed
            // (BEGIN, a savepoint that SQLite already rolled back, or COMMIT), so no unit of this group is durable.
            fatal = ex;
            TryRollback(transaction);
            Log.GroupCommitFailed(_logger, ex, group.Count);
        }
        finally
        {
            transaction?.Dispose();
        }

        // Told before the units are acknowledged, so whoever awaits a unit sees its group already counted.
        GroupCompleted?.Invoke(group.Count);
        foreach (var item in group)
        {
            item.Complete(fatal);
        }

        if (appended > 0 && fatal is null)
        {
            _changes.Pulse(appended);
        }

        span?.SetTag("basalt.writes", group.Count);
        if (fatal is not null)
        {
            span?.SetStatus(ActivityStatusCode.Error, fatal.Message);
        }
    }

    /// <summary>Runs one unit in its savepoint; returns the newest change-log id it appended (0 for none).</summary>
    private async Task<long> RunUnitAsync(WorkItem item, SqliteTransaction transaction)
    {
        transaction.Save(Savepoint);
        var appended = 0L;
        try
        {
            item.IsRunning = true;
            CurrentUnit.Value = item;
            await item.RunAsync(_connection, transaction);
            appended = await ChangeLogStore.AppendPendingAsync(_connection, transaction, _dialect, false, 0, CancellationToken.None);
        }
        catch (Exception ex)
        {
            PendingChanges.Take(transaction);
            item.Fail(ex);

            // If SQLite rolled the whole transaction back (disk full, I/O error), this throws and fails the group.
            transaction.Rollback(Savepoint);
        }
        finally
        {
            item.IsRunning = false;
            CurrentUnit.Value = null;
        }

        transaction.Release(Savepoint);
        return appended;
    }

    private async Task RunAloneAsync(WorkItem item)
    {
        try
        {
            item.IsRunning = true;
            CurrentUnit.Value = item;
            await item.RunAsync(_connection, null);
        }
        catch (Exception ex)
        {
            item.Fail(ex);
        }
        finally
        {
            item.IsRunning = false;
            CurrentUnit.Value = null;
        }

        item.Complete(null);
    }

    /// <summary>
    /// Moves queued units into <paramref name="group"/> until it is full, the deadline passes or an exclusive unit is
    /// next (it runs alone, after this group); skips cancelled ones.
    /// </summary>
    private void TakeStarted(List<WorkItem> group, long deadline)
    {
        while (group.Count < _options.MaxGroupSize && Stopwatch.GetTimestamp() <= deadline &&
               _channel.Reader.TryPeek(out var next) && !next.Exclusive && _channel.Reader.TryRead(out var item))
        {
            if (item.TryStart())
            {
                group.Add(item);
            }
        }
    }

    private static void TryRollback(SqliteTransaction? transaction)
    {
        try
        {
            transaction?.Rollback();
        }
        catch (Exception)
        {
            // The transaction is already gone (SQLite rolled it back itself); nothing is left to undo.
        }
    }

    private abstract class WorkItem
    {
        private const int Pending = 0;
        private const int Started = 1;
        private const int Cancelled = 2;
        private int _state;
        private volatile bool _running;

        public bool IsRunning
        {
            get => _running;
            set => _running = value;
        }

        /// <summary>Runs alone, outside the group's transaction (<see cref="RunExclusiveAsync{T}"/>).</summary>
        public bool Exclusive { get; init; }

        public abstract Task RunAsync(SqliteConnection connection, SqliteTransaction? transaction);

        public abstract void Fail(Exception error);

        /// <summary>Answers the caller once the group is over: its own failure, the group's failure, or success.</summary>
        public abstract void Complete(Exception? groupFailure);

        public bool TryStart() => Interlocked.CompareExchange(ref _state, Started, Pending) == Pending;

        protected bool TryCancel() => Interlocked.CompareExchange(ref _state, Cancelled, Pending) == Pending;
    }

    private sealed class WorkItem<T> : WorkItem
    {
        private readonly Func<DbConnection, DbTransaction, CancellationToken, Task<T>> _work;
        private readonly CancellationToken _cancellationToken;
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationTokenRegistration _registration;
        private T? _result;
        private Exception? _error;

        public WorkItem(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
        {
            _work = work;
            _cancellationToken = cancellationToken;
            if (cancellationToken.CanBeCanceled)
            {
                _registration = cancellationToken.Register(static s => ((WorkItem<T>)s!).CancelIfWaiting(), this);
            }
        }

        public Task<T> Task => _completion.Task;

        // An exclusive unit gets no transaction; its work is wrapped so that it never reads this argument.
        public override async Task RunAsync(SqliteConnection connection, SqliteTransaction? transaction) =>
            _result = await _work(connection, transaction!, _cancellationToken);

        public override void Fail(Exception error) => _error = error;

        public override void Complete(Exception? groupFailure)
        {
            _registration.Dispose();
            var error = _error ?? groupFailure;
            if (error is OperationCanceledException && _cancellationToken.IsCancellationRequested)
            {
                _completion.TrySetCanceled(_cancellationToken);
            }
            else if (error is not null)
            {
                _completion.TrySetException(error);
            }
            else
            {
                // RunAsync completed without throwing, so _result holds the unit's own return value (null if T allows it).
                _completion.TrySetResult(_result!);
            }
        }

        private void CancelIfWaiting()
        {
            // A unit that has not started yet leaves the queue (the writer skips it); a running one sees the token itself.
            if (TryCancel())
            {
                _completion.TrySetCanceled(_cancellationToken);
            }
        }
    }
}
