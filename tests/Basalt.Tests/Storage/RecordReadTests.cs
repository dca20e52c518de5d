using System.Text.Json.Nodes;
using Basalt.Model;
using Basalt.Storage;
using Basalt.Storage.Tables;
using Basalt.Tests.Fixtures;
using Record = Basalt.Model.Record;

namespace Basalt.Tests.Storage;

/// <summary>
/// Rows read back into records by <see cref="RecordStore"/>, on both databases: every value comes back with its
/// canonical CLR type, text columns included, whatever a table altered by hand holds in them.
/// </summary>
public abstract class RecordReadTests(StorageKind kind) : IAsyncLifetime
{
    private static readonly Collection Table = StorageTestDatabase.NewCollection(
        "rows",
        StorageTestDatabase.NewField("title", FieldType.Text),
        StorageTestDatabase.NewField("n", FieldType.Number),
        StorageTestDatabase.NewField("done", FieldType.Bool),
        StorageTestDatabase.NewField("tags", FieldType.Select, new JsonObject { ["values"] = new JsonArray("x", "y"), ["maxSelect"] = 2 }),
        StorageTestDatabase.NewField("data", FieldType.Json));

    private StorageTestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await StorageTestDatabase.CreateAsync(kind);
        await _db.CreateAsync(Table);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Every_value_of_a_row_comes_back_with_its_canonical_type()
    {
        await InsertAsync("a", "héllo wörld ✓ 😀", -12.5, true, ["x", "y"], new JsonObject { ["k"] = 1 });

        var record = await FindAsync(Table, "a");

        Assert.Equal("a", record.Id);
        Assert.Equal("héllo wörld ✓ 😀", record.Get("title"));
        Assert.Equal(-12.5, record.Get("n"));
        Assert.Equal(true, record.Get("done"));
        Assert.Equal(["x", "y"], Assert.IsType<List<string>>(record.Get("tags")));
        Assert.Equal(1, ((JsonObject)record.Get("data")!)["k"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_number_written_by_hand_into_a_text_column_reads_as_text()
    {
        await InsertAsync("a", "", 0.0, false, [], null);
        await _db.WriteAsync((c, tx, ct) => c.ExecuteAsync("""UPDATE "rows" SET "title" = 42 WHERE "id" = 'a'""", tx, ct));

        Assert.Equal("42", (await FindAsync(Table, "a")).Get("title"));
    }

    [Fact]
    public async Task A_null_in_a_text_column_of_a_table_altered_by_hand_reads_as_empty_text()
    {
        // Basalt's own text columns are NOT NULL; this table was made by hand without the constraint.
        var loose = StorageTestDatabase.NewCollection("loose", StorageTestDatabase.NewField("title", FieldType.Text));
        await _db.WriteAsync(async (c, tx, ct) =>
        {
            await c.ExecuteAsync("""CREATE TABLE "loose" ("id" TEXT PRIMARY KEY NOT NULL, "title" TEXT NULL)""", tx, ct);
            await c.ExecuteAsync("""INSERT INTO "loose" ("id", "title") VALUES ('a', NULL), ('b', 'set')""", tx, ct);
        });

        var store = new RecordStore(_db.Database, logsChanges: false);
        var rows = await _db.Database.ReadAsync((c, ct) => store.ListAsync(loose, null, null, 10, 0, c, ct), CancellationToken.None);

        Assert.Equal(["", "set"], rows.OrderBy(r => r.Id, StringComparer.Ordinal).Select(r => r.Get("title")));
    }

    private Task InsertAsync(string id, string title, double n, bool done, List<string> tags, JsonNode? data)
    {
        var record = new Record(Table) { Id = id };
        record.Set("title", title);
        record.Set("n", n);
        record.Set("done", done);
        record.Set("tags", tags);
        record.Set("data", data);
        var store = new RecordStore(_db.Database);
        return _db.WriteAsync((c, tx, ct) => store.InsertAsync(record, c, tx, ct));
    }

    private Task<Record> FindAsync(Collection collection, string id)
    {
        var store = new RecordStore(_db.Database);
        return _db.Database.ReadAsync(async (c, ct) => await store.FindByIdAsync(collection, id, c, null, ct) ?? throw new InvalidOperationException("no row " + id), CancellationToken.None);
    }

}

/// <summary>Rows read back into records on SQLite.</summary>
public sealed class RecordReadSqliteTests() : RecordReadTests(StorageKind.Sqlite);

/// <summary>Rows read back into records on PostgreSQL.</summary>
public sealed class RecordReadPostgresTests() : RecordReadTests(StorageKind.Postgres);
