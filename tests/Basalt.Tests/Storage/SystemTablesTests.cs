using System.Data.Common;
using Basalt.Storage;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Storage;

/// <summary>Basalt's own tables: created idempotently, and the helpers other services call, on both databases.</summary>
public abstract class SystemTablesTests(StorageKind kind) : IAsyncLifetime
{
    private StorageTestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await StorageTestDatabase.CreateAsync(kind);

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Initialize_is_idempotent()
    {
        await _db.Database.InitializeAsync(CancellationToken.None);
        Assert.Equal(
            ["id", "system", "type", "name", "fields", "indexes", "listRule", "viewRule", "createRule", "updateRule", "deleteRule", "viewQuery", "options", "created", "updated"],
            await _db.ColumnsAsync(SystemTables.Collections));
        Assert.Equal(["id", "value", "created", "updated"], await _db.ColumnsAsync(SystemTables.Params));
    }

    [Fact]
    public async Task A_collection_row_round_trips_through_insert_load_update_and_delete()
    {
        var row = new CollectionRow
        {
            Id = "pbc_1",
            System = true,
            Type = "auth",
            Name = "users",
            Fields = """[{"id":"text1","name":"id","type":"text"}]""",
            Indexes = """["CREATE INDEX `a` ON `users` (`id`)"]""",
            ListRule = "",
            ViewRule = null,
            Options = """{"authToken":{"duration":86400}}""",
            Created = "2024-01-02 03:04:05.678Z",
            Updated = "2024-01-02 03:04:05.678Z",
        };
        await _db.WriteAsync((c, tx, ct) => SystemTables.InsertCollectionAsync(c, tx, _db.Dialect, row, ct));

        var loaded = Assert.Single(await Load());
        Assert.Equal(row.Name, loaded.Name);
        Assert.True(loaded.System);
        Assert.Equal("", loaded.ListRule);
        Assert.Null(loaded.ViewRule);
        Assert.Contains("\"duration\"", loaded.Options, StringComparison.Ordinal);
        Assert.Contains("text1", loaded.Fields, StringComparison.Ordinal);

        row.Name = "members";
        row.ListRule = null;
        Assert.True(await _db.Database.WriteAsync((c, tx, ct) => SystemTables.UpdateCollectionAsync(c, tx, _db.Dialect, row, ct), CancellationToken.None));
        loaded = Assert.Single(await Load());
        Assert.Equal("members", loaded.Name);
        Assert.Null(loaded.ListRule);

        Assert.True(await _db.Database.WriteAsync((c, tx, ct) => SystemTables.DeleteCollectionAsync(c, tx, row.Id, ct), CancellationToken.None));
        Assert.Empty(await Load());
    }

    [Fact]
    public async Task Collection_names_are_unique_case_insensitively()
    {
        await _db.WriteAsync((c, tx, ct) => SystemTables.InsertCollectionAsync(c, tx, _db.Dialect, new CollectionRow { Id = "a", Name = "Posts", Type = "base" }, ct));

        await Assert.ThrowsAnyAsync<DbException>(() =>
            _db.WriteAsync((c, tx, ct) => SystemTables.InsertCollectionAsync(c, tx, _db.Dialect, new CollectionRow { Id = "b", Name = "posts", Type = "base" }, ct)));
    }

    [Fact]
    public async Task Params_are_upserted_as_json()
    {
        await _db.WriteAsync((c, tx, ct) => SystemTables.SetParamAsync(c, tx, _db.Dialect, "settings", """{"a":1}""", "2024-01-01 00:00:00.000Z", ct));
        await _db.WriteAsync((c, tx, ct) => SystemTables.SetParamAsync(c, tx, _db.Dialect, "settings", """{"a":2}""", "2024-01-02 00:00:00.000Z", ct));

        var value = await _db.Database.ReadAsync((c, ct) => SystemTables.GetParamAsync(c, null, "settings", ct), CancellationToken.None);
        Assert.Equal(2, System.Text.Json.Nodes.JsonNode.Parse(value!)!["a"]!.GetValue<int>());
        Assert.Null(await _db.Database.ReadAsync((c, ct) => SystemTables.GetParamAsync(c, null, "missing", ct), CancellationToken.None));
    }

    private Task<IReadOnlyList<CollectionRow>> Load() =>
        _db.Database.ReadAsync((c, ct) => SystemTables.LoadCollectionsAsync(c, null, ct), CancellationToken.None);
}

/// <summary>System tables on SQLite.</summary>
public sealed class SystemTablesSqliteTests() : SystemTablesTests(StorageKind.Sqlite);

/// <summary>System tables on PostgreSQL.</summary>
public sealed class SystemTablesPostgresTests() : SystemTablesTests(StorageKind.Postgres);
