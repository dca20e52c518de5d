using Microsoft.Data.Sqlite;

namespace Baseline;

/// <summary>
/// SQLite as a careful hand-written app would use it: WAL, synchronous=NORMAL (PocketBase's setting), pooled
/// connections for reads and one long-lived writer connection behind a lock, so writers queue instead of spinning on SQLITE_BUSY.
/// </summary>
internal sealed class SqliteBenchStore : IBenchStore, IDisposable
{
    private readonly string _connectionString;
    private readonly string _table;
    private readonly SqliteConnection _writer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public SqliteBenchStore(string path, string table)
    {
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
        _table = table;
        _writer = new SqliteConnection(_connectionString);
        _writer.Open();
        using var cmd = _writer.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;";
        cmd.ExecuteNonQuery();
    }

    public async Task<(long Total, List<BenchRow> Rows)> ListAsync(int page, int perPage, BenchFilter? filter, CancellationToken ct)
    {
        await using var conn = await OpenReaderAsync(ct);
        return await BenchSql.ListAsync(conn, _table, page, perPage, filter, ct);
    }

    public async Task<BenchRow?> GetAsync(string id, CancellationToken ct)
    {
        await using var conn = await OpenReaderAsync(ct);
        return await BenchSql.GetAsync(conn, _table, id, ct);
    }

    public async Task<BenchRow> CreateAsync(BenchInput input, CancellationToken ct)
    {
        await _writeLock.WaitAsync(ct);
        try
        {
            return await BenchSql.InsertAsync(_writer, _table, input, ct);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public void Dispose()
    {
        _writer.Dispose();
        _writeLock.Dispose();
    }

    private async Task<SqliteConnection> OpenReaderAsync(CancellationToken ct)
    {
        var conn = new SqliteConnection(_connectionString);
        await conn.OpenAsync(ct);
        return conn;
    }
}
