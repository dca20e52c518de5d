using System.Globalization;
using Basalt.Storage;
using Basalt.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Basalt.Tests.Storage;

/// <summary>
/// The prepared statements a SQLite reader connection keeps between reads, on a real database file: a kept statement
/// follows the schema the writer changes under it, a command is never handed out twice at once, and a flood of
/// distinct texts stays within the cache's bound. (SQLite only: PostgreSQL has no such cache.)
/// </summary>
public sealed class SqliteStatementCacheTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "basalt-stmt-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly SqliteConnection _writer;
    private readonly SqliteReaderConnection _reader;

    public SqliteStatementCacheTests()
    {
        Directory.CreateDirectory(_dir);
        var file = Path.Combine(_dir, "data.db");
        _writer = new SqliteConnection($"Data Source={file};Pooling=False");
        _writer.Open();
        Execute("PRAGMA journal_mode=WAL; CREATE TABLE t (id TEXT PRIMARY KEY, a TEXT NOT NULL); INSERT INTO t VALUES ('r1', 'one'), ('r2', 'two')");
        _reader = new SqliteReaderConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        _reader.Open();
    }

    [Fact]
    public async Task A_kept_statement_reads_by_new_parameters_each_time()
    {
        Assert.Equal(["one"], await ReadAsync("SELECT a FROM t WHERE id = @p0", "r1"));
        Assert.Equal(1, _reader.StatementsKept);

        Assert.Equal(["two"], await ReadAsync("SELECT a FROM t WHERE id = @p0", "r2"));
        Assert.Equal([], await ReadAsync("SELECT a FROM t WHERE id = @p0", "missing"));
        Assert.Equal(1, _reader.StatementsKept);
    }

    [Fact]
    public async Task A_kept_statement_follows_an_added_column_a_dropped_table_and_a_table_made_again()
    {
        const string text = "SELECT * FROM t WHERE id = @p0";
        Assert.Equal(["r1|one"], await ReadAsync(text, "r1"));

        Execute("ALTER TABLE t ADD COLUMN b TEXT NOT NULL DEFAULT 'added'");
        Assert.Equal(["r1|one|added"], await ReadAsync(text, "r1"));

        Execute("DROP TABLE t");
        var dropped = await Assert.ThrowsAsync<SqliteException>(() => ReadAsync(text, "r1"));
        Assert.Contains("no such table", dropped.Message, StringComparison.Ordinal);
        Assert.Equal(0, _reader.StatementsKept);

        Execute("CREATE TABLE t (id TEXT PRIMARY KEY, c INTEGER NOT NULL); INSERT INTO t VALUES ('r1', 7)");
        Assert.Equal(["r1|7"], await ReadAsync(text, "r1"));
    }

    [Fact]
    public async Task A_renamed_table_is_read_by_its_new_name_and_the_old_name_fails_cleanly()
    {
        Assert.Equal(["one"], await ReadAsync("SELECT a FROM t WHERE id = @p0", "r1"));

        Execute("ALTER TABLE t RENAME TO u");
        await Assert.ThrowsAsync<SqliteException>(() => ReadAsync("SELECT a FROM t WHERE id = @p0", "r1"));
        Assert.Equal(["one"], await ReadAsync("SELECT a FROM u WHERE id = @p0", "r1"));
    }

    [Fact]
    public void A_text_rented_again_while_its_command_is_out_gets_another_command_and_one_is_kept()
    {
        var cache = _reader;
        var first = cache.Rent("SELECT a FROM t");
        var second = cache.Rent("SELECT a FROM t");
        Assert.NotSame(first, second);

        cache.Return(first);
        cache.Return(second);
        Assert.Equal(1, _reader.StatementsKept);
        Assert.Same(first, cache.Rent("SELECT a FROM t"));
    }

    [Fact]
    public async Task A_flood_of_distinct_texts_keeps_no_more_than_the_bound_and_long_texts_are_not_kept()
    {
        var longText = "SELECT a FROM t WHERE id = @p0" + new string(' ', SqliteStatementCache.MaxTextLength);
        Assert.Equal(["one"], await ReadAsync(longText, "r1"));
        Assert.Equal(0, _reader.StatementsKept);

        for (var i = 0; i < SqliteStatementCache.Capacity * 4; i++)
        {
            var text = "SELECT a FROM t WHERE id = @p0 AND " + i.ToString(CultureInfo.InvariantCulture) + " >= 0";
            Assert.Equal(["one"], await ReadAsync(text, "r1"));
            Assert.True(_reader.StatementsKept <= SqliteStatementCache.Capacity);
        }

        Assert.Equal(SqliteStatementCache.Capacity, _reader.StatementsKept);
    }

    public void Dispose()
    {
        _reader.Dispose();
        _writer.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private Task<List<string>> ReadAsync(string text, string id) =>
        _reader.ReadAsync(
            text,
            null,
            r => string.Join('|', Enumerable.Range(0, r.FieldCount).Select(i => Convert.ToString(r.GetValue(i), CultureInfo.InvariantCulture))),
            CancellationToken.None,
            ("p0", id));

    private void Execute(string sql)
    {
        using var command = _writer.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
