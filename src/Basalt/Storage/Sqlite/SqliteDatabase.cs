using System.Data.Common;
using Basalt.Storage.Changes;
using Basalt.Storage.Cluster;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Basalt.Storage.Sqlite;

/// <summary>
/// Embedded SQLite in <c>&lt;DataDir&gt;/data.db</c>: WAL mode, a pool of read-only connections and one writer fed by
/// <see cref="GroupCommitQueue"/>. In durable mode (<c>synchronous=FULL</c>) every commit fsyncs the WAL before any
/// write of its group is acknowledged.
/// </summary>
public sealed partial class SqliteDatabase : IDatabase
{
    private readonly string _connectionString;
    private readonly bool _durable;
    private readonly SqliteConnection _writer;
    private readonly GroupCommitQueue _queue;
    private readonly SqliteReaderPool _readers;
    private readonly SystemSchemaInitializer _initializer;
    private readonly ILogger _logger;
    private int _disposed;

    /// <param name="fileName">The file in the data folder: <c>data.db</c>, or <c>auxiliary.db</c> for the request logs.</param>
    /// <param name="logger">Where opening, closing, migrations and slow or failed commits are logged; none when null.</param>
    public SqliteDatabase(StorageOptions options, GroupCommitOptions? groupCommit = null, string fileName = "data.db", ILogger? logger = null)
    {
        _logger = logger ?? NullLogger.Instance;
        Directory.CreateDirectory(options.DataDir);
        FilePath = Path.GetFullPath(Path.Combine(options.DataDir, fileName));
        ReadTimeout = options.ReadTimeout;
        _durable = options.Durability == Durability.Full;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,

            // The reader pool and the single writer keep their connections open; the driver's pool would only add a layer.
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString();

        _writer = Open(writer: true);
        _queue = new GroupCommitQueue(_writer, groupCommit ?? new GroupCommitOptions(), _logger, Changes);
        var readers = Math.Max(4, Environment.ProcessorCount * 2);
        _readers = new SqliteReaderPool(readers, () => Open(writer: false));
        KeepThreadsForRequests(readers);
        _initializer = new SystemSchemaInitializer(this, _logger, "SQLite", FilePath, DurabilityMode);
    }

    public ISqlDialect Dialect { get; } = new SqliteDialect();

    public ChangeFeed Changes { get; } = new();

    public IClusterBus Cluster { get; } = new LocalClusterBus();

    /// <summary>The absolute path of the database file.</summary>
    public string FilePath { get; }

    /// <summary><c>full</c> (synchronous=FULL) or <c>fast</c> (synchronous=NORMAL), for logs.</summary>
    public string DurabilityMode => _durable ? "full" : "fast";

    /// <summary>The queue's hook after each group, for tests and metrics.</summary>
    internal Action<int>? GroupCompleted
    {
        get => _queue.GroupCompleted;
        set => _queue.GroupCompleted = value;
    }

    public TimeSpan ReadTimeout { get; }

    /// <summary>Reader connections running a read now, of <see cref="Readers"/> (metrics gauges).</summary>
    public int ReadersBusy => _readers.Busy;

    public int Readers => _readers.Size;

    // Half the readers: one per core (at least two), all the CPU one client's reads could use, as they run in this process.
    public int ReadsPerClient => Math.Max(2, Readers / 2);

    // A quarter of the readers (at least one) stays for superusers and Basalt's own reads: 3 of 4 readers for clients on
    // two cores, 12 of 16 on eight, still more than one client's share, so one busy client is not slowed by it.
    public int ReadsForClients => Math.Max(1, Readers - Math.Max(1, Readers / 4));

    public Task InitializeAsync(CancellationToken cancellationToken) => _initializer.RunAsync(cancellationToken);

    public Task<T> ReadAsync<T>(Func<DbConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        ReadDeadline.RunAsync(
            ReadTimeout,
            ct => _readers.RunAsync((c, t) => work(c, t), ct),
            static e => e is SqliteException { SqliteErrorCode: SQLitePCL.raw.SQLITE_INTERRUPT },
            cancellationToken);

    public Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        _queue.EnqueueAsync(work, cancellationToken);

    /// <summary>Runs <paramref name="work"/> on the writer alone, outside any transaction, between groups (a restore).</summary>
    internal Task<T> RunExclusiveAsync<T>(Func<SqliteConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        _queue.RunExclusiveAsync(work, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // Queued writes still commit: a graceful stop answers every request it accepted.
        await _queue.DisposeAsync();
        _readers.Dispose();
        _writer.Dispose();
        Log.StorageClosed(_logger, "SQLite", FilePath);
    }

    private SqliteConnection Open(bool writer)
    {
        // Readers keep their prepared statements between reads; the writer's run inside group transactions and are not kept.
        var connection = writer ? new SqliteConnection(_connectionString) : new SqliteReaderConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();

        // journal_mode is persistent in the file, so the writer sets it before any reader opens.
        // synchronous=FULL fsyncs the WAL on every commit: an acknowledged write survives a power cut.
        // journal_size_limit trims the WAL file back to 64 MiB after a checkpoint that followed a burst.
        command.CommandText = writer
            ? $"""
               PRAGMA journal_mode=WAL;
               PRAGMA synchronous={(_durable ? "FULL" : "NORMAL")};
               PRAGMA busy_timeout=10000;
               PRAGMA foreign_keys=OFF;
               PRAGMA temp_store=MEMORY;
               PRAGMA cache_size=-32000;
               PRAGMA journal_size_limit=67108864;
               """
            : """
              PRAGMA busy_timeout=10000;
              PRAGMA query_only=1;
              PRAGMA temp_store=MEMORY;
              PRAGMA cache_size=-16000;
              """;
        command.ExecuteNonQuery();
        return connection;
    }

    /// <summary>
    /// Microsoft.Data.Sqlite runs statements synchronously on the calling thread, so every busy reader (and the writer)
    /// holds a thread-pool thread until its statement ends or is interrupted. With the pool's default minimum (one
    /// thread per core) a few slow reads would leave no thread for other requests until the pool slowly grows; keeping
    /// enough threads ready makes a slow read cost its own thread only.
    /// </summary>
    private static void KeepThreadsForRequests(int readers)
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        var needed = readers + 1 + (Environment.ProcessorCount * 2);
        if (workers < needed)
        {
            ThreadPool.SetMinThreads(needed, completionPorts);
        }
    }
}
