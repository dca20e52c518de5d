using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Basalt.Common;
using Basalt.Storage.Changes;
using Basalt.Storage.Cluster;
using Basalt.Storage.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Basalt.Storage.Postgres;

/// <summary>
/// PostgreSQL through a pooled <see cref="NpgsqlDataSource"/>. Each write is its own READ COMMITTED transaction;
/// <c>synchronous_commit</c> is left on, so a commit is durable when it returns, and PostgreSQL groups WAL flushes itself.
/// Reads have a deadline twice over: the read's token is cancelled when it passes (Npgsql sends a cancel request), and
/// read connections carry a <c>statement_timeout</c> a little longer, so the server stops the statement even if the
/// cancel request is lost. Writes have no timeout: a migration may rightly take long.
/// </summary>
public sealed partial class PostgresDatabase : IDatabase
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly NpgsqlDataSource _groupSource;
    private readonly NpgsqlDataSource _readSource;
    private readonly NpgsqlDataSource _consoleSource;
    private readonly SystemSchemaInitializer _initializer;
    private readonly PostgresClusterBus _cluster;
    private readonly PostgresCountSlots _countSlots;
    private readonly PostgresCommitGroups _groups;
    private static readonly KeyValuePair<string, object?> ReadPool = new("pool", "read");
    private static readonly KeyValuePair<string, object?> WritePool = new("pool", "write");

    private readonly ILogger _logger;

    public PostgresDatabase(string connectionString)
        : this(connectionString, StorageOptions.DefaultReadTimeout)
    {
    }

    /// <param name="logger">Where opening, closing and migrations are logged; none when null.</param>
    public PostgresDatabase(string connectionString, TimeSpan readTimeout, ILogger? logger = null)
    {
        _logger = logger ?? NullLogger.Instance;
        var builder = new NpgsqlConnectionStringBuilder(PostgresConnectionString.FromUrl(connectionString));

        // Host, port and database only: the connection string may hold a password.
        Location = $"{builder.Host}:{builder.Port}/{builder.Database}";

        // Basalt never trades durability for speed on PostgreSQL; the session setting is pinned so a
        // server configured with synchronous_commit=off still gives Basalt's guarantee.
        builder.Options = (builder.Options + " -c synchronous_commit=on").Trim();

        // Basalt's own statements leave no session state on a connection (no SET, LISTEN, temporary table or session
        // lock): the reset Npgsql would otherwise send with the next statement after every return to the pool (DISCARD
        // ALL, or seven statements when the connection holds prepared ones) is server work on every request for
        // nothing. The SQL console runs a superuser's text, which can leave some (a session advisory lock, a PREPARE),
        // so it has a pool of its own that resets.
        builder.NoResetOnClose = true;

        // The pools share the connection budget the connection string gives (100 by default, PostgreSQL's own
        // default max_connections), so splitting them opens no more connections than one pool did.
        var budget = builder.MaxPoolSize;
        var reads = new NpgsqlConnectionStringBuilder(builder.ConnectionString);
        var writes = Math.Max(1, budget / 4);
        var groupConnections = Math.Min(CommitGroups, Math.Max(1, writes / 2));
        builder.MaxPoolSize = Math.Max(1, writes - groupConnections);

        // A collection's record insert is prepared on each write connection that runs it, and a schema change gives it a
        // new text (RecordStore.AppendColumnKinds): the old statement stays prepared on every connection that ran it
        // until that connection closes, which in a busy pool is only when it is past its lifetime (Npgsql's default is
        // an hour). A quarter of an hour bounds what a write connection holds to the schema versions and collections of
        // that span; a reconnect and the few re-prepares it costs, four times an hour per connection, are nothing beside
        // it. A lifetime the connection string sets is kept.
        if (builder.ConnectionLifetime == new NpgsqlConnectionStringBuilder().ConnectionLifetime)
        {
            builder.ConnectionLifetime = (int)WriteConnectionLifetime.TotalSeconds;
        }

        builder.MinPoolSize = Math.Min(builder.MinPoolSize, builder.MaxPoolSize);
        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        // The groups' connections are a share of the writes' (4 of 25 by default) and wait for a lock only briefly.
        var groups = new NpgsqlConnectionStringBuilder(builder.ConnectionString) { MaxPoolSize = groupConnections, MinPoolSize = 0 };
        groups.Options = (groups.Options + " -c lock_timeout=" + ((long)PostgresCommitGroups.LockTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)).Trim();
        _groupSource = NpgsqlDataSource.Create(groups.ConnectionString);
        ReadTimeout = readTimeout;
        var statementTimeout = (long)(readTimeout + TimeSpan.FromSeconds(1)).TotalMilliseconds;
        reads.Options = (reads.Options + " -c statement_timeout=" + statementTimeout.ToString(CultureInfo.InvariantCulture)).Trim();
        reads.MaxPoolSize = Math.Max(1, budget - writes - 1);
        reads.MinPoolSize = Math.Min(reads.MinPoolSize, reads.MaxPoolSize);
        ReadConnections = reads.MaxPoolSize;
        _readSource = NpgsqlDataSource.Create(reads.ConnectionString);
        _consoleSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(reads.ConnectionString) { NoResetOnClose = false, MaxPoolSize = 1, MinPoolSize = 0 }.ConnectionString);

        // The listening connection is outside both pools (it is held for the life of the node) and is probed with
        // keepalives, so a dead server or network is noticed while no signal comes.
        var listen = new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Pooling = false, KeepAlive = 5, ConnectionLifetime = 0 };
        Changes = new ChangeFeed(new PostgresChangeHorizon(_readSource));
        _cluster = new PostgresClusterBus(_dataSource, listen.ConnectionString, Changes, _logger);
        _countSlots = new PostgresCountSlots(Dialect.RowCountSlots);
        // One runner per connection of the groups' pool: a runner beyond them would wait in the pool, and a group that
        // runs long (a slow statement) would make it fail its whole group with the pool's timeout.
        _groups = new PostgresCommitGroups(_groupSource, _dataSource, Dialect, _countSlots, Committed, _logger, groupConnections);
        _initializer = new SystemSchemaInitializer(this, _logger, "PostgreSQL", Location, DurabilityMode);
    }

    public ISqlDialect Dialect { get; } = new PostgresDialect();

    /// <summary><c>host:port/database</c>, for logs.</summary>
    public string Location { get; }

    /// <summary>Every commit waits for PostgreSQL's WAL flush (the session pins it), for logs.</summary>
    public const string DurabilityMode = "synchronous_commit=on";

    /// <summary>The age past which a write connection is closed rather than pooled again, unless the connection string says otherwise.</summary>
    public static readonly TimeSpan WriteConnectionLifetime = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How many groups of creates commit at once (<see cref="PostgresCommitGroups"/>), each on a connection of its own
    /// pool; fewer when the connection budget is under 32 (half the write connections). Two cores' worth of PostgreSQL
    /// backends and a group filling while others flush: at 32 connections four groups brought PostgreSQL's CPU per
    /// create from 0.69 to 0.35 ms (bench/README.md, 2026-12-07).
    /// </summary>
    internal const int CommitGroups = 4;

    public TimeSpan ReadTimeout { get; }

    /// <summary>The most connections the read pool opens.</summary>
    public int ReadConnections { get; }

    // An eighth of the read pool (9 of the default budget of 100), not one per core as on SQLite: a read here spends most
    // of its time waiting for its round trip and for PostgreSQL's own processes, so one read per core leaves both
    // machines' cores idle (a client of 32 connections got under half the reads/s of plain Npgsql with two turns). Each
    // read is still bounded by the deadline. Not more: clients of a few addresses, each running its share of slow
    // reads, would hold every read connection (a review filled the pool from 5 addresses with a quarter each). The
    // floor of two turns never reaches the whole pool: with a small one set in the connection string, one client would take it.
    public int ReadsPerClient => Math.Max(1, Math.Min(Math.Max(2, ReadConnections / 8), ReadConnections - 1));

    // A quarter of the read pool (at least one connection) stays for superusers and Basalt's own reads: 56 of 74 for
    // clients. Nine addresses of a client's share each had filled the whole pool, superusers' reads waiting behind them.
    public int ReadsForClients => Math.Max(1, ReadConnections - Math.Max(1, ReadConnections / 4));

    public ChangeFeed Changes { get; }

    public IClusterBus Cluster => _cluster;

    public Task InitializeAsync(CancellationToken cancellationToken) => _initializer.RunAsync(cancellationToken);

    public Task<T> ReadAsync<T>(Func<DbConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        ReadDeadline.RunAsync(
            ReadTimeout,
            async ct =>
            {
                await using var connection = await OpenAsync(_readSource, ReadPool, ct);
                return await work(connection, ct);
            },
            static e => e is PostgresException { SqlState: PostgresErrorCodes.QueryCanceled },
            cancellationToken);

    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        T result;
        var appended = 0L;
        PendingChange? alone = null;
        SqlBuilder? heldBack = null;
        await using (var connection = await OpenAsync(_dataSource, WritePool, cancellationToken))
        {
            var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
            try
            {
                // The unit is the whole transaction: its last write may wait for the change-log append and go with COMMIT.
                PendingChanges.AllowDeferring(transaction);
                UnitConnections.Watch(connection);
                try
                {
                    result = await work(connection, transaction, cancellationToken);
                    if (UnitConnections.NothingSent(connection) &&
                        PendingChanges.TryTakeDeferredAlone(transaction, out var deferred, out var only))
                    {
                        // Nothing went out on this connection, not even BEGIN (Npgsql sends it with the first statement),
                        // so the held-back write and its entry are the whole unit: it commits with other such units.
                        alone = only;
                        heldBack = deferred;
                    }
                    else if (PendingChanges.Count(transaction) > 0)
                    {
                        // The change-log append ends with COMMIT: one round trip fewer for every write that logs a change,
                        // and a deferred write's failure (a taken id) surfaces here, the rest of the batch skipped, as the
                        // transaction is rolled back.
                        var firstSlot = _countSlots.Take();
                        try
                        {
                            appended = await ChangeLogStore.AppendPendingAsync(connection, transaction, Dialect, true, Math.Max(firstSlot, 0), cancellationToken);
                        }
                        finally
                        {
                            // Committed by now, or failed: a failed transaction's locks last until its rollback below, and
                            // a writer that starts on its slot meanwhile only skips it.
                            _countSlots.Release(firstSlot);
                        }
                    }
                }
                finally
                {
                    PendingChanges.Take(transaction);
                    UnitConnections.Forget(connection);
                }

                if (appended == 0 && alone is null)
                {
                    // Not cancellable: once the unit has run, the caller must learn whether it committed.
                    await transaction.CommitAsync(CancellationToken.None);
                }
            }
            finally
            {
                // A transaction that sent nothing is left to the connection's return to the pool, which drops it
                // silently; disposing it would send BEGIN and ROLLBACK, a round trip for nothing.
                if (alone is null)
                {
                    await transaction.DisposeAsync();
                }
            }
        }

        if (alone is not null)
        {
            // The connection is back in the pool first: a group needs one, and waiting units must not hold them all.
            await _groups.CommitAsync(heldBack!, alone);
        }
        else if (appended > 0)
        {
            Committed(appended);
        }

        return result;
    }

    /// <summary>Up to where the log is settled is for the horizon to say: another node may hold a smaller id still open.</summary>
    private void Committed(long appended)
    {
        Changes.Wake();
        _cluster.Committed(appended);
    }

    /// <summary>Creates waiting for a commit group to take them.</summary>
    internal int QueuedCommits => _groups.Queued;

    /// <summary>A connection of the write pool, whose statements have no timeout (a snapshot or a restore may rightly take long).</summary>
    internal Task<NpgsqlConnection> OpenWriteConnectionAsync(CancellationToken cancellationToken) => OpenAsync(_dataSource, WritePool, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _groups.DisposeAsync();
        await _groupSource.DisposeAsync();
        await _consoleSource.DisposeAsync();
        await _cluster.DisposeAsync();
        await _readSource.DisposeAsync();
        await _dataSource.DisposeAsync();
        Log.StorageClosed(_logger, "PostgreSQL", Location);
    }

    /// <summary>A pooled connection; the time spent waiting for it is the pool's wait (Npgsql's meter has no such histogram).</summary>
    private static async Task<NpgsqlConnection> OpenAsync(NpgsqlDataSource source, KeyValuePair<string, object?> pool, CancellationToken cancellationToken)
    {
        var waiting = Stopwatch.GetTimestamp();
        var connection = await source.OpenConnectionAsync(cancellationToken);
        BasaltMetrics.ConnectionWait.Record(Stopwatch.GetElapsedTime(waiting).TotalSeconds, pool);
        return connection;
    }
}
