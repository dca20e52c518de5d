using System.Data.Common;
using System.Text.Json.Nodes;
using Basalt.Model;
using Basalt.Storage;
using Basalt.Storage.Tables;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Storage;

/// <summary>
/// Rows written from their values through one prepared statement (the request logs' path), on both databases: each value
/// lands in its column as the driver's parameters would have put it, and a refused row fails the whole unit.
/// </summary>
public abstract class InsertValuesTests(StorageKind kind) : IAsyncLifetime
{
    private static readonly Collection Table = StorageTestDatabase.NewCollection(
        "rows",
        StorageTestDatabase.NewField("title", FieldType.Text),
        StorageTestDatabase.NewField("n", FieldType.Number),
        StorageTestDatabase.NewField("done", FieldType.Bool),
        StorageTestDatabase.NewField("data", FieldType.Json));

    private StorageTestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await StorageTestDatabase.CreateAsync(kind);
        await _db.CreateAsync(Table);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Every_value_lands_in_its_column()
    {
        var store = new RecordStore(_db.Database);
        object?[][] rows =
        [
            ["a", "", 0.0, false, "{}"],
            ["b", "héllo wörld ✓ 😀", -12.5, true, """{"x":[1,"two",null],"y":{"z":"é"}}"""],
            ["c", new string('x', 70_000), 1e15, false, "{\"big\":\"" + new string('y', 10_000) + "\"}"],
            ["d", "null's \"quoted\"", 3.0, true, null],
        ];

        await _db.WriteAsync((c, tx, ct) => store.InsertValuesAsync(Table, rows, c, tx, ct));

        var read = await _db.ReadAllAsync(Table);
        Assert.Equal(["a", "b", "c", "d"], read.Select(r => r.Id));
        Assert.Equal(["", "héllo wörld ✓ 😀", new string('x', 70_000), "null's \"quoted\""], read.Select(r => r.GetString("title")));
        Assert.Equal([0.0, -12.5, 1e15, 3.0], read.Select(r => (double)r.Get("n")!));
        Assert.Equal([false, true, false, true], read.Select(r => (bool)r.Get("done")!));
        Assert.Equal("é", ((JsonObject)read[1].Get("data")!)["y"]!["z"]!.GetValue<string>());
        Assert.Equal(10_000, ((JsonObject)read[2].Get("data")!)["big"]!.GetValue<string>().Length);
        Assert.Null(read[3].Get("data"));
    }

    [Fact]
    public async Task A_refused_row_writes_none_of_the_unit()
    {
        var store = new RecordStore(_db.Database);
        object?[][] rows = [["a", "first", 1.0, false, "{}"], ["a", "same id", 2.0, false, "{}"]];

        var error = await Assert.ThrowsAnyAsync<DbException>(() => _db.WriteAsync((c, tx, ct) => store.InsertValuesAsync(Table, rows, c, tx, ct)));

        Assert.True(_db.Dialect.IsConstraintViolation(error));
        Assert.Empty(await _db.ReadAllAsync(Table));
    }

    [Fact]
    public async Task A_row_of_the_wrong_length_is_refused()
    {
        var store = new RecordStore(_db.Database);
        object?[][] rows = [["a", "short"]];

        await Assert.ThrowsAnyAsync<Exception>(() => _db.WriteAsync((c, tx, ct) => store.InsertValuesAsync(Table, rows, c, tx, ct)));
        Assert.Empty(await _db.ReadAllAsync(Table));
    }

    [Fact]
    public async Task A_short_row_after_the_first_is_refused()
    {
        var store = new RecordStore(_db.Database);
        object?[][] rows = [["a", "first", 1.0, true, "{}"], ["b", "short"]];

        await Assert.ThrowsAnyAsync<Exception>(() => _db.WriteAsync((c, tx, ct) => store.InsertValuesAsync(Table, rows, c, tx, ct)));
        Assert.Empty(await _db.ReadAllAsync(Table));
    }
}

/// <summary>Rows written from their values on SQLite.</summary>
public sealed class InsertValuesSqliteTests() : InsertValuesTests(StorageKind.Sqlite);

/// <summary>Rows written from their values on PostgreSQL.</summary>
public sealed class InsertValuesPostgresTests() : InsertValuesTests(StorageKind.Postgres);
