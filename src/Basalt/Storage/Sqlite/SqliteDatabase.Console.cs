using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Basalt.Storage.Sqlite;

/// <summary>
/// The SQL console's statements: each on a connection of its own, opened read-only and watched by
/// <see cref="SqliteConsoleAuthorizer"/>, so no PRAGMA it runs can outlive it and nothing it runs can write.
/// </summary>
public sealed partial class SqliteDatabase
{
    public Task<SqlConsoleResult> QueryReadOnlyAsync(string sql, int maxRows, TimeSpan timeout, CancellationToken cancellationToken) =>
        ReadDeadline.RunAsync(
            timeout,
            async ct =>
            {
                await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder(_connectionString) { Mode = SqliteOpenMode.ReadOnly }.ToString());
                await connection.OpenAsync(ct);
                SqliteConsoleAuthorizer.Install(connection.Handle!);
                using var interrupt = ct.Register(static c => raw.sqlite3_interrupt(((SqliteConnection)c!).Handle), connection);
                try
                {
                    EnsureOneStatement(connection, sql);
                    await using var command = connection.CreateCommand();
                    command.CommandText = sql;
                    await using var reader = await command.ExecuteReaderAsync(ct);
                    return await SqlConsoleReader.ReadAsync(reader, maxRows, ct);
                }
                catch (SqliteException e) when (e.SqliteErrorCode != raw.SQLITE_INTERRUPT)
                {
                    throw new SqlConsoleException(e.Message, e);
                }
            },
            static e => e is SqliteException { SqliteErrorCode: raw.SQLITE_INTERRUPT },
            cancellationToken);

    /// <summary>
    /// SQLite's own parser finds where the first statement ends; anything but blanks and comments after it is a second
    /// statement, which the driver would otherwise run too. A first statement that does not parse is left to the
    /// execution, which reports SQLite's message.
    /// </summary>
    private static void EnsureOneStatement(SqliteConnection connection, string sql)
    {
        if (raw.sqlite3_prepare_v2(connection.Handle, sql, out var first, out string tail) != raw.SQLITE_OK)
        {
            first.Dispose();
            return;
        }

        first.Dispose();
        if (string.IsNullOrWhiteSpace(tail))
        {
            return;
        }

        var rc = raw.sqlite3_prepare_v2(connection.Handle, tail, out var second, out string _);
        var more = rc != raw.SQLITE_OK || !second.IsInvalid;
        second.Dispose();
        if (more)
        {
            throw new SqlConsoleException("Only one statement can run at a time.");
        }
    }
}
