using Basalt.Storage;
using Basalt.Storage.Sqlite;

namespace Basalt.Logs;

/// <summary>
/// Where the logs are kept, apart from the records' write path: on SQLite a file of its own (<c>auxiliary.db</c>, as
/// PocketBase) with its own writer and without fsync per commit, since losing the last logs in a power cut is
/// acceptable and slowing record writes for them is not; on PostgreSQL the <c>_logs</c> table of the same database,
/// whose writes do not queue behind each other.
/// </summary>
public sealed class LogsDatabase : IAsyncDisposable
{
    private readonly SqliteDatabase? _own;

    public LogsDatabase(StorageOptions options, IDatabase main)
    {
        if (options.IsPostgres)
        {
            Database = main;
            return;
        }

        var auxiliary = options with { Database = null, Durability = Durability.Fast };
        _own = new SqliteDatabase(auxiliary, fileName: "auxiliary.db");
        Database = _own;
    }

    public IDatabase Database { get; }

    public async ValueTask DisposeAsync()
    {
        if (_own is not null)
        {
            await _own.DisposeAsync();
        }
    }
}
