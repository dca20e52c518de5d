using System.Data;
using System.Data.Common;
using Npgsql;

namespace Basalt.Storage.Postgres;

/// <summary>
/// PostgreSQL through a pooled <see cref="NpgsqlDataSource"/>. Each write is its own READ COMMITTED transaction;
/// <c>synchronous_commit</c> is left on, so a commit is durable when it returns, and PostgreSQL groups WAL flushes itself.
/// </summary>
public sealed class PostgresDatabase : IDatabase
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly SystemSchemaInitializer _initializer;

    public PostgresDatabase(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresConnectionString.FromUrl(connectionString));

        // Basalt never trades durability for speed on PostgreSQL; the session setting is pinned so a
        // server configured with synchronous_commit=off still gives Basalt's guarantee.
        builder.Options = (builder.Options + " -c synchronous_commit=on").Trim();
        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        _initializer = new SystemSchemaInitializer(this);
    }

    public ISqlDialect Dialect { get; } = new PostgresDialect();

    public Task InitializeAsync(CancellationToken cancellationToken) => _initializer.RunAsync(cancellationToken);

    public async Task<T> ReadAsync<T>(Func<DbConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await work(connection, cancellationToken);
    }

    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        var result = await work(connection, transaction, cancellationToken);

        // Not cancellable: once the unit has run, the caller must learn whether it committed.
        await transaction.CommitAsync(CancellationToken.None);
        return result;
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
