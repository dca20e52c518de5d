using System.Data.Common;
using System.Globalization;

namespace Basalt.Storage;

/// <summary>Runs a built statement on the caller's connection: the one place rows, scalars and ids are read back.</summary>
internal static class SqlExecution
{
    /// <summary>Runs a statement that returns no rows; returns the rows it changed.</summary>
    public static Task<int> ExecuteAsync(this SqlBuilder sql, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        ExecuteAsync(sql.CreateCommand(connection, transaction), cancellationToken);

    /// <summary>The first column of the first row, or null when there is no row or it holds NULL.</summary>
    public static Task<object?> ScalarAsync(this SqlBuilder sql, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        ScalarAsync(sql.CreateCommand(connection, transaction), cancellationToken);

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
        await using var command = sql.CreateCommand(connection, transaction);
        if (prepare)
        {
            await command.PrepareAsync(cancellationToken);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(map(reader));
        }

        return rows;
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
        ExecuteAsync(CreateCommand(connection, sql, transaction, parameters), cancellationToken);

    /// <summary>The first column of the first row of fixed statement text, or null when there is no row or it holds NULL.</summary>
    public static Task<object?> ScalarAsync(this DbConnection connection, string sql, DbTransaction? transaction, CancellationToken cancellationToken, params ReadOnlySpan<(string Name, object? Value)> parameters) =>
        ScalarAsync(CreateCommand(connection, sql, transaction, parameters), cancellationToken);

    /// <summary>Every row of fixed statement text, each mapped by <paramref name="map"/>.</summary>
    public static Task<List<T>> ReadAsync<T>(this DbConnection connection, string sql, DbTransaction? transaction, Func<DbDataReader, T> map, CancellationToken cancellationToken, params ReadOnlySpan<(string Name, object? Value)> parameters) =>
        ReadAsync(CreateCommand(connection, sql, transaction, parameters), map, cancellationToken);

    private static async Task<int> ExecuteAsync(DbCommand command, CancellationToken cancellationToken)
    {
        await using (command)
        {
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task<object?> ScalarAsync(DbCommand command, CancellationToken cancellationToken)
    {
        await using (command)
        {
            return await command.ExecuteScalarAsync(cancellationToken) is { } value and not DBNull ? value : null;
        }
    }

    private static async Task<List<T>> ReadAsync<T>(DbCommand command, Func<DbDataReader, T> map, CancellationToken cancellationToken)
    {
        await using (command)
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = new List<T>();
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(map(reader));
            }

            return rows;
        }
    }

    private static DbCommand CreateCommand(DbConnection connection, string sql, DbTransaction? transaction, ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var command = connection.CreateCommand();
        if (transaction is not null)
        {
            command.Transaction = transaction;
        }

        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            command.Parameters.Add(p);
        }

        return command;
    }
}
