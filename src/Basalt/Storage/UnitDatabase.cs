using System.Data.Common;
using Basalt.Storage.Changes;
using Basalt.Storage.Cluster;

namespace Basalt.Storage;

/// <summary>
/// An <see cref="IDatabase"/> that runs everything inside one write unit that is already open (a batch): reads run on
/// the unit's connection, so they see its uncommitted writes, and each nested write runs in a SAVEPOINT, so a failing
/// write undoes only itself, as a unit of <see cref="IDatabase.WriteAsync{T}"/> would. Unlike the database's own
/// units, a nested write that returns is not yet committed: it commits or rolls back with the enclosing unit, so the
/// caller must hold back anything that announces it (realtime events) until that unit has committed.
/// Reads and writes run one at a time, on the single connection.
/// </summary>
public sealed class UnitDatabase(IDatabase database, DbConnection connection, DbTransaction transaction) : IDatabase
{
    private const string Savepoint = "basalt_nested";

    public ISqlDialect Dialect => database.Dialect;

    public TimeSpan ReadTimeout => database.ReadTimeout;

    public int ReadsPerClient => database.ReadsPerClient;

    public int ReadsForClients => database.ReadsForClients;

    public ChangeFeed Changes => database.Changes;

    public IClusterBus Cluster => database.Cluster;

    public Task InitializeAsync(CancellationToken cancellationToken) =>
        throw new NotSupportedException("A unit is opened on a database that is already initialized.");

    public Task<T> ReadAsync<T>(Func<DbConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        work(connection, cancellationToken);

    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        // The savepoint statements are not cancelled: the unit must be left consistent whatever happens to the caller.
        await transaction.SaveAsync(Savepoint, CancellationToken.None);
        PendingChanges.ForbidDeferring(transaction);
        var changes = PendingChanges.Count(transaction);
        T result;
        try
        {
            result = await work(connection, transaction, cancellationToken);
        }
        catch
        {
            // On PostgreSQL this also clears the failed-transaction state, so the unit can still read (the unique
            // conflicts behind a constraint violation) and, for a caller that recovers, write.
            await transaction.RollbackAsync(Savepoint, CancellationToken.None);
            await transaction.ReleaseAsync(Savepoint, CancellationToken.None);
            PendingChanges.Truncate(transaction, changes);
            throw;
        }

        await transaction.ReleaseAsync(Savepoint, CancellationToken.None);
        return result;
    }

    /// <summary>The console's statements never join a write unit; they run on the database's own read-only path.</summary>
    public Task<SqlConsoleResult> QueryReadOnlyAsync(string sql, int maxRows, TimeSpan timeout, CancellationToken cancellationToken) =>
        database.QueryReadOnlyAsync(sql, maxRows, timeout, cancellationToken);

    /// <summary>The connection and transaction belong to the enclosing unit, which ends them.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
