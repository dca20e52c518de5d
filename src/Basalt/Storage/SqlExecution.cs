using System.Data.Common;
using System.Globalization;

namespace Basalt.Storage;

/// <summary>
/// Runs a built statement on the caller's connection: the one place rows, scalars and ids are read back. On a
/// connection that keeps its prepared statements (<see cref="IStatementCache"/>), a statement outside a transaction is
/// rented from it and given back once its rows are read, unless it failed.
/// </summary>
internal static class SqlExecution
{
    /// <summary>Runs a statement that returns no rows; returns the rows it changed.</summary>
    public static Task<int> ExecuteAsync(this SqlBuilder sql, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, Command(sql, connection, transaction), cancellationToken);

    /// <summary>The first column of the first row, or null when there is no row or it holds NULL.</summary>
    public static Task<object?> ScalarAsync(this SqlBuilder sql, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        ScalarAsync(connection, Command(sql, connection, transaction), cancellationToken);

    /// <summary>True when the statement returns a row whose first column is not NULL.</summary>
    public static async Task<bool> AnyAsync(this SqlBuilder sql, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        await sql.ScalarAsync(connection, transaction, cancellationToken) is not null;

    /// <summary>The count a <c>COUNT(*)</c> statement returns.</summary>
    public static async Task<long> CountAsync(this SqlBuilder sql, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        Convert.ToInt64(await sql.ScalarAsync(connection, transaction, cancellationToken), CultureInfo.InvariantCulture);

    /// <summary>Every row, each mapped by <paramref name="map"/>.</summary>
    public static Task<List<T>> ReadAsync<T>(this SqlBuilder sql, DbConnection connection, DbTransaction? transaction, Func<DbDataReader, T> map, CancellationToken cancellationToken) =>
        sql.ReadAsync(connection, transaction, false, map, cancellationToken);

    /// <summary>
    /// Every row, each mapped by <paramref name="map"/>; with <paramref name="prepare"/>, as in
    /// <see cref="ReadLastAsync"/>: Npgsql keeps the server's plan on the pooled connection for the next statement of the
    /// same text, so the text must change whenever the types of the columns it returns do.
    /// </summary>
    public static async Task<List<T>> ReadAsync<T>(this SqlBuilder sql, DbConnection connection, DbTransaction? transaction, bool prepare, Func<DbDataReader, T> map, CancellationToken cancellationToken)
    {
        var command = Command(sql, connection, transaction);
        var completed = false;
        try
        {
            if (prepare)
            {
                await command.PrepareAsync(cancellationToken);
            }

            var rows = await ReadRowsAsync(command, map, cancellationToken);
            completed = true;
            return rows;
        }
        finally
        {
            await ReleaseAsync(connection, command, completed);
        }
    }

    /// <summary>
    /// Runs <paramref name="statements"/> in order in one round trip where the driver batches them (Npgsql; SQLite runs
    /// them one by one in process) and returns the rows they return, in order (with SQLite, only the last may). With
    /// <paramref name="prepare"/> the server plans each statement once per pooled connection and keeps the plan for the
    /// next batch of the same text: only for statements whose text repeats and whose columns never change.
    /// </summary>
    public static async Task<List<T>> ReadLastAsync<T>(IReadOnlyList<SqlBuilder> statements, DbConnection connection, DbTransaction transaction, bool prepare, Func<DbDataReader, T> map, CancellationToken cancellationToken)
    {
        if (!connection.CanCreateBatch)
        {
            for (var i = 0; i < statements.Count - 1; i++)
            {
                await statements[i].ExecuteAsync(connection, transaction, cancellationToken);
            }

            return await statements[^1].ReadAsync(connection, transaction, map, cancellationToken);
        }

        await using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        foreach (var sql in statements)
        {
            batch.BatchCommands.Add(sql.CreateBatchCommand(batch));
        }

        if (prepare)
        {
            await batch.PrepareAsync(cancellationToken);
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        do
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(map(reader));
            }
        }
        while (await reader.NextResultAsync(cancellationToken));

        return rows;
    }

    /// <summary>The first column of every row as text (ids).</summary>
    public static Task<List<string>> ReadStringsAsync(this SqlBuilder sql, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        sql.ReadAsync(connection, transaction, r => r.GetString(0), cancellationToken);

    /// <summary>Runs fixed statement text with named parameters (<c>@name</c>); returns the rows it changed.</summary>
    public static Task<int> ExecuteAsync(this DbConnection connection, string sql, DbTransaction? transaction, CancellationToken cancellationToken, params ReadOnlySpan<(string Name, object? Value)> parameters) =>
        ExecuteAsync(connection, Command(connection, sql, transaction, parameters), cancellationToken);

    /// <summary>The first column of the first row of fixed statement text, or null when there is no row or it holds NULL.</summary>
    public static Task<object?> ScalarAsync(this DbConnection connection, string sql, DbTransaction? transaction, CancellationToken cancellationToken, params ReadOnlySpan<(string Name, object? Value)> parameters) =>
        ScalarAsync(connection, Command(connection, sql, transaction, parameters), cancellationToken);

    /// <summary>Every row of fixed statement text, each mapped by <paramref name="map"/>.</summary>
    public static Task<List<T>> ReadAsync<T>(this DbConnection connection, string sql, DbTransaction? transaction, Func<DbDataReader, T> map, CancellationToken cancellationToken, params ReadOnlySpan<(string Name, object? Value)> parameters) =>
        ReadAsync(connection, Command(connection, sql, transaction, parameters), map, cancellationToken);

    private static async Task<int> ExecuteAsync(DbConnection connection, DbCommand command, CancellationToken cancellationToken)
    {
        var completed = false;
        try
        {
            var changed = await command.ExecuteNonQueryAsync(cancellationToken);
            completed = true;
            return changed;
        }
        finally
        {
            await ReleaseAsync(connection, command, completed);
        }
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, DbCommand command, CancellationToken cancellationToken)
    {
        var completed = false;
        try
        {
            var value = await command.ExecuteScalarAsync(cancellationToken);
            completed = true;
            return value is not null and not DBNull ? value : null;
        }
        finally
        {
            await ReleaseAsync(connection, command, completed);
        }
    }

    private static async Task<List<T>> ReadAsync<T>(DbConnection connection, DbCommand command, Func<DbDataReader, T> map, CancellationToken cancellationToken)
    {
        var completed = false;
        try
        {
            var rows = await ReadRowsAsync(command, map, cancellationToken);
            completed = true;
            return rows;
        }
        finally
        {
            await ReleaseAsync(connection, command, completed);
        }
    }

    /// <summary>Every row of <paramref name="command"/>; its reader is closed (the statement reset) before this returns.</summary>
    private static async Task<List<T>> ReadRowsAsync<T>(DbCommand command, Func<DbDataReader, T> map, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    /// <summary>A command for a built statement: rented from the connection's statement cache outside a transaction.</summary>
    private static DbCommand Command(SqlBuilder sql, DbConnection connection, DbTransaction? transaction)
    {
        if (transaction is null && connection is IStatementCache cache)
        {
            var command = cache.Rent(sql.ToString());
            try
            {
                sql.AddParametersTo(command, cache);
            }
            catch
            {
                command.Dispose();
                throw;
            }

            return command;
        }

        return sql.CreateCommand(connection, transaction);
    }

    /// <summary>A command for fixed text with named parameters: rented from the connection's statement cache outside a transaction.</summary>
    private static DbCommand Command(DbConnection connection, string sql, DbTransaction? transaction, ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var cache = transaction is null ? connection as IStatementCache : null;
        DbCommand command;
        if (cache is not null)
        {
            command = cache.Rent(sql);
        }
        else
        {
            UnitConnections.Sent(connection);
            command = connection.CreateCommand();
            if (transaction is not null)
            {
                command.Transaction = transaction;
            }

            command.CommandText = sql;
        }

        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = cache?.ParameterName(name) ?? name;
            p.Value = value ?? DBNull.Value;
            command.Parameters.Add(p);
        }

        return command;
    }

    /// <summary>
    /// Gives a command that ran to its end back to the connection's statement cache, or disposes it: one that failed
    /// (interrupted, a schema it could not prepare again) is never run again.
    /// </summary>
    private static ValueTask ReleaseAsync(DbConnection connection, DbCommand command, bool completed)
    {
        if (completed && command.Transaction is null && connection is IStatementCache cache)
        {
            cache.Return(command);
            return ValueTask.CompletedTask;
        }

        return command.DisposeAsync();
    }
}
