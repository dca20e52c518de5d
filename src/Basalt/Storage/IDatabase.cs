using System.Data.Common;
using Basalt.Storage.Changes;
using Basalt.Storage.Cluster;

namespace Basalt.Storage;

/// <summary>
/// The database Basalt runs on. Reads run on a pooled connection; every write runs through
/// <see cref="WriteAsync{T}"/>, which on SQLite joins a group commit (each unit inside its own SAVEPOINT,
/// one fsynced COMMIT per group) and on PostgreSQL runs in its own transaction.
/// When a write task completes successfully its changes are committed to stable storage, and so are the change-log
/// entries of the record writes it made (<see cref="Tables.ChangeLogStore"/>).
/// </summary>
public interface IDatabase : IAsyncDisposable
{
    ISqlDialect Dialect { get; }

    /// <summary>Pulsed after every commit that appended to the change log.</summary>
    ChangeFeed Changes { get; }

    /// <summary>The signals between the nodes sharing this database (none to send on SQLite).</summary>
    IClusterBus Cluster { get; }

    /// <summary>How long one <see cref="ReadAsync{T}"/> may take before it is interrupted with a <see cref="ReadTimeoutException"/>.</summary>
    TimeSpan ReadTimeout { get; }

    /// <summary>
    /// How many reads one client may run at once unless the host sets it (<c>MaxConcurrentReadsPerClient</c>): a share
    /// of this database's readers small enough that one client's hostile reads leave the rest to everyone else.
    /// </summary>
    int ReadsPerClient { get; }

    /// <summary>
    /// How many reads all clients but superusers may run at once unless the host sets it (<c>MaxConcurrentClientReads</c>):
    /// this database's readers less a reserve, so however many addresses send hostile reads, superusers and Basalt's own
    /// reads (sign-ins, settings, realtime) still find a reader.
    /// </summary>
    int ReadsForClients { get; }

    /// <summary>Creates or upgrades the system tables. Safe to call on every start.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    Task<T> ReadAsync<T>(Func<DbConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> as one atomic unit. If it throws, only its own changes are rolled back and the
    /// exception reaches this caller. The connection and transaction must not be used after <paramref name="work"/> returns.
    /// </summary>
    Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>
    /// Runs one statement of the SQL console on a connection that cannot write whatever the statement says (SQLite: a
    /// connection of its own opened read-only; PostgreSQL: a READ ONLY transaction that is rolled back), so it never
    /// bypasses the writer, its group commit or the change log. Reads at most <paramref name="maxRows"/> rows.
    /// </summary>
    /// <exception cref="SqlConsoleException">The database refused the statement, or it is more than one.</exception>
    /// <exception cref="ReadTimeoutException">It ran past <paramref name="timeout"/> and was interrupted.</exception>
    Task<SqlConsoleResult> QueryReadOnlyAsync(string sql, int maxRows, TimeSpan timeout, CancellationToken cancellationToken);
}
