using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Basalt.Storage.PocketBase;

/// <summary>
/// A PocketBase <c>data.db</c> (any version), opened read-only for an import. Every read runs on one connection inside
/// one read transaction, so the whole import sees a single snapshot even if PocketBase was left running. Table and
/// column names come from the file itself and are always quoted; values are only ever read. A file that is not a
/// SQLite database, or a damaged one, fails with an <see cref="InvalidDataException"/> saying so.
/// </summary>
public sealed partial class PocketBaseDataFile : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _snapshot;

    private PocketBaseDataFile(string path, SqliteConnection connection, SqliteTransaction snapshot)
    {
        Path = path;
        _connection = connection;
        _snapshot = snapshot;
    }

    public string Path { get; }

    /// <summary>Opens <paramref name="path"/> read-only and starts the read transaction every later read shares.</summary>
    public static async Task<PocketBaseDataFile> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Cache = SqliteCacheMode.Private,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken);
            var snapshot = connection.BeginTransaction(deferred: true);
            var file = new PocketBaseDataFile(path, connection, snapshot);

            // The first read of a deferred transaction fixes its snapshot, and tells a SQLite file from anything else.
            await file.ScalarAsync("SELECT COUNT(*) FROM sqlite_master", cancellationToken);
            return file;
        }
        catch (SqliteException e)
        {
            await connection.DisposeAsync();
            throw Unreadable(path, e);
        }
    }

    /// <summary>Runs SQLite's <c>quick_check</c>; throws when the file is damaged.</summary>
    public async Task CheckIntegrityAsync(CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        await ReadAsync("PRAGMA quick_check(5)", r => problems.Add(r.GetString(0)), cancellationToken);
        if (problems is not ["ok"])
        {
            throw new InvalidDataException($"{Path} is damaged (SQLite's integrity check: {string.Join("; ", problems)}).");
        }
    }

    /// <summary>Every table and view of the file by name (case-insensitively, as SQLite compares them), with its kind.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ObjectsAsync(CancellationToken cancellationToken)
    {
        var objects = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        await ReadAsync(
            "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view')",
            r => objects[r.GetString(0)] = r.GetString(1),
            cancellationToken);
        return objects;
    }

    /// <summary>The column names of <paramref name="table"/> (a table or a view), in order.</summary>
    public async Task<IReadOnlyList<string>> ColumnsAsync(string table, CancellationToken cancellationToken)
    {
        var columns = new List<string>();
        await ReadAsync($"SELECT name FROM pragma_table_info({Literal(table)})", r => columns.Add(r.GetString(0)), cancellationToken);
        return columns;
    }

    /// <summary>
    /// Every row of a small table (<c>_collections</c>, <c>_params</c>, <c>_admins</c>), each as column name → value
    /// (text, integer, real, or null).
    /// </summary>
    public async Task<List<Dictionary<string, object?>>> ReadTableAsync(string table, CancellationToken cancellationToken)
    {
        var rows = new List<Dictionary<string, object?>>();
        await ReadAsync(
            $"SELECT * FROM {Quote(table)}",
            r =>
            {
                var row = new Dictionary<string, object?>(StringComparer.Ordinal);
                for (var i = 0; i < r.FieldCount; i++)
                {
                    row[r.GetName(i)] = r.IsDBNull(i) ? null : r.GetValue(i);
                }

                rows.Add(row);
            },
            cancellationToken);
        return rows;
    }

    public async Task<long> CountAsync(string table, CancellationToken cancellationToken) =>
        Convert.ToInt64(await ScalarAsync($"SELECT COUNT(*) FROM {Quote(table)}", cancellationToken), CultureInfo.InvariantCulture);

    public ValueTask DisposeAsync()
    {
        _snapshot.Dispose();
        return _connection.DisposeAsync();
    }

    private async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(sql);
        try
        {
            return await command.ExecuteScalarAsync(cancellationToken);
        }
        catch (SqliteException e)
        {
            throw Unreadable(Path, e);
        }
    }

    private async Task ReadAsync(string sql, Action<SqliteDataReader> row, CancellationToken cancellationToken)
    {
        await using var command = Command(sql);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                row(reader);
            }
        }
        catch (SqliteException e)
        {
            throw Unreadable(Path, e);
        }
    }

    private SqliteCommand Command(string sql)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _snapshot;
        command.CommandText = sql;
        return command;
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static InvalidDataException Unreadable(string path, SqliteException e) => e.SqliteErrorCode switch
    {
        SQLitePCL.raw.SQLITE_NOTADB => new InvalidDataException($"{path} is not a SQLite database.", e),
        SQLitePCL.raw.SQLITE_CORRUPT => new InvalidDataException($"{path} is damaged: {e.Message}", e),
        SQLitePCL.raw.SQLITE_CANTOPEN => new InvalidDataException($"{path} cannot be opened: {e.Message}", e),
        SQLitePCL.raw.SQLITE_BUSY or SQLitePCL.raw.SQLITE_LOCKED =>
            new InvalidDataException($"{path} is locked by another process; stop PocketBase first.", e),
        _ => new InvalidDataException($"{path} could not be read: {e.Message}", e),
    };
}
