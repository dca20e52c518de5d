using System.Data.Common;
using System.Text.Json.Nodes;
using Basalt.Errors;
using Basalt.Model;
using Basalt.Tests.Fixtures;
using static Basalt.Tests.Storage.StorageTestDatabase;

namespace Basalt.Tests.Storage;

/// <summary>Tables follow their collection through create, field changes, index changes and drop, keeping rows, on both databases.</summary>
public abstract class SchemaMigratorTests(StorageKind kind) : IAsyncLifetime
{
    private StorageTestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await CreateAsync(kind);

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Every_field_type_round_trips_its_canonical_value()
    {
        var posts = NewCollection(
            HttpJson.UniqueName("posts"),
            NewField("title", FieldType.Text),
            NewField("views", FieldType.Number),
            NewField("draft", FieldType.Bool),
            NewField("tags", FieldType.Select, new JsonObject { ["maxSelect"] = 3d }),
            NewField("meta", FieldType.Json),
            NewField("where", FieldType.GeoPoint),
            NewField("published", FieldType.Date));
        await _db.CreateAsync(posts);
        await _db.InsertAsync(posts, new()
        {
            ["id"] = "a00000000000001",
            ["title"] = "Hello 'world'",
            ["views"] = 12.5,
            ["draft"] = true,
            ["tags"] = new List<string> { "x", "y" },
            ["meta"] = JsonNode.Parse("""{"big":12345678901234567890,"list":[1,"two"]}"""),
            ["where"] = JsonNode.Parse("""{"lon":2.35,"lat":48.85}"""),
            ["published"] = "2024-01-02 03:04:05.678Z",
        });
        await _db.InsertAsync(posts, new() { ["id"] = "a00000000000002" });

        var rows = await _db.ReadAllAsync(posts);
        var full = rows[0];
        Assert.Equal("Hello 'world'", full.Get("title"));
        Assert.Equal(12.5, full.Get("views"));
        Assert.Equal(true, full.Get("draft"));
        Assert.Equal(["x", "y"], Assert.IsType<List<string>>(full.Get("tags")));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"big":12345678901234567890,"list":[1,"two"]}"""), (JsonNode?)full.Get("meta")));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"lon":2.35,"lat":48.85}"""), (JsonNode?)full.Get("where")));
        Assert.Equal("2024-01-02 03:04:05.678Z", full.Get("published"));

        // Empty values are values, not NULL: '', 0, false, [], null json, the zero point.
        var empty = rows[1];
        Assert.Equal("", empty.Get("title"));
        Assert.Equal(0d, empty.Get("views"));
        Assert.Equal(false, empty.Get("draft"));
        Assert.Empty(Assert.IsType<List<string>>(empty.Get("tags")));
        Assert.Null(empty.Get("meta"));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"lon":0,"lat":0}"""), (JsonNode?)empty.Get("where")));
    }

    [Fact]
    public async Task Adding_renaming_and_dropping_fields_keeps_the_rows()
    {
        var title = NewField("title", FieldType.Text);
        var body = NewField("body", FieldType.Editor);
        var old = NewCollection(HttpJson.UniqueName("posts"), title, body);
        await _db.CreateAsync(old);
        await _db.InsertAsync(old, new() { ["id"] = "r1", ["title"] = "one", ["body"] = "<p>1</p>" });

        var next = old.Clone();
        next.Fields.RemoveAll(f => f.Name == "body");
        next.FindField("title")!.Name = "headline";
        next.Fields.Add(NewField("score", FieldType.Number));
        await _db.UpdateAsync(old, next);

        Assert.Equal(["id", "headline", "score"], await _db.ColumnsAsync(next.Name));
        var row = Assert.Single(await _db.ReadAllAsync(next));
        Assert.Equal("one", row.Get("headline"));
        Assert.Equal(0d, row.Get("score"));
    }

    [Fact]
    public async Task Two_fields_can_swap_names()
    {
        var a = NewField("a", FieldType.Text);
        var b = NewField("b", FieldType.Text);
        var old = NewCollection(HttpJson.UniqueName("swap"), a, b);
        await _db.CreateAsync(old);
        await _db.InsertAsync(old, new() { ["id"] = "r1", ["a"] = "A", ["b"] = "B" });

        var next = old.Clone();
        next.FindFieldById(a.Id)!.Name = "b";
        next.FindFieldById(b.Id)!.Name = "a";
        await _db.UpdateAsync(old, next);

        var row = Assert.Single(await _db.ReadAllAsync(next));
        Assert.Equal("A", row.Get("b"));
        Assert.Equal("B", row.Get("a"));
    }

    [Fact]
    public async Task Single_select_becomes_multiple_and_back_keeping_the_first_value()
    {
        var tag = NewField("tag", FieldType.Select, new JsonObject { ["maxSelect"] = 1d, ["values"] = new JsonArray("x", "y") });
        var single = NewCollection(HttpJson.UniqueName("tags"), tag);
        await _db.CreateAsync(single);
        await _db.InsertAsync(single, new() { ["id"] = "r1", ["tag"] = "x" });
        await _db.InsertAsync(single, new() { ["id"] = "r2", ["tag"] = "" });

        var multiple = single.Clone();
        multiple.Fields[1].Options["maxSelect"] = 2d;
        await _db.UpdateAsync(single, multiple);
        var rows = await _db.ReadAllAsync(multiple);
        Assert.Equal(["x"], Assert.IsType<List<string>>(rows[0].Get("tag")));
        Assert.Empty(Assert.IsType<List<string>>(rows[1].Get("tag")));

        await _db.InsertAsync(multiple, new() { ["id"] = "r3", ["tag"] = new List<string> { "y", "x" } });
        await _db.UpdateAsync(multiple, single);
        rows = await _db.ReadAllAsync(single);
        Assert.Equal(["x", "", "y"], rows.Select(r => r.Get("tag")));
    }

    [Fact]
    public async Task Changing_a_field_type_converts_values()
    {
        var count = NewField("count", FieldType.Text);
        var flag = NewField("flag", FieldType.Number);
        var old = NewCollection(HttpJson.UniqueName("conv"), count, flag);
        await _db.CreateAsync(old);
        await _db.InsertAsync(old, new() { ["id"] = "r1", ["count"] = "42", ["flag"] = 1d });
        await _db.InsertAsync(old, new() { ["id"] = "r2", ["count"] = "not a number", ["flag"] = 0d });

        var next = old.Clone();
        next.FindFieldById(count.Id)!.Type = FieldType.Number;
        next.FindFieldById(flag.Id)!.Type = FieldType.Bool;
        await _db.UpdateAsync(old, next);

        var rows = await _db.ReadAllAsync(next);
        Assert.Equal([42d, 0d], rows.Select(r => r.Get("count")));
        Assert.Equal([true, false], rows.Select(r => r.Get("flag")));

        await _db.UpdateAsync(next, old);
        rows = await _db.ReadAllAsync(old);
        Assert.Equal(["42", "0"], rows.Select(r => r.Get("count")));
        Assert.Equal([1d, 0d], rows.Select(r => r.Get("flag")));
    }

    [Fact]
    public async Task A_failing_migration_leaves_table_rows_and_indexes_as_they_were()
    {
        var email = NewField("email", FieldType.Email);
        var old = NewCollection(HttpJson.UniqueName("users"), email);
        await _db.CreateAsync(old);
        await _db.InsertAsync(old, new() { ["id"] = "r1", ["email"] = "a@example.com" });
        await _db.InsertAsync(old, new() { ["id"] = "r2", ["email"] = "a@example.com" });

        var next = old.Clone();
        next.FindFieldById(email.Id)!.Name = "mail";
        next.Fields.Add(NewField("extra", FieldType.Text));
        next.Indexes.Add($"CREATE UNIQUE INDEX `idx_mail_{next.Name}` ON `{next.Name}` (`mail`)");

        var error = await Assert.ThrowsAsync<ApiError>(() => _db.UpdateAsync(old, next));
        Assert.Equal(400, error.Status);
        Assert.NotNull(error.Data["indexes"]?["0"]?["code"]);

        Assert.Equal(["id", "email"], await _db.ColumnsAsync(old.Name));
        Assert.Equal(2, (await _db.ReadAllAsync(old)).Count);
    }

    [Fact]
    public async Task A_unique_NOCASE_index_rejects_a_case_variant_and_is_dropped_with_its_definition()
    {
        var email = NewField("email", FieldType.Email);
        var name = HttpJson.UniqueName("users");
        var old = NewCollection(name, email);
        old.Indexes.Add($"CREATE UNIQUE INDEX `idx_email_{name}` ON `whatever` (`email` COLLATE NOCASE) WHERE `email` != ''");
        await _db.CreateAsync(old);
        await _db.InsertAsync(old, new() { ["id"] = "r1", ["email"] = "Ann@Example.com" });
        await _db.InsertAsync(old, new() { ["id"] = "r2", ["email"] = "" });
        await _db.InsertAsync(old, new() { ["id"] = "r3", ["email"] = "" });

        await Assert.ThrowsAnyAsync<DbException>(() => _db.InsertAsync(old, new() { ["id"] = "r4", ["email"] = "ann@example.COM" }));

        var next = old.Clone();
        next.Indexes.Clear();
        await _db.UpdateAsync(old, next);
        await _db.InsertAsync(next, new() { ["id"] = "r4", ["email"] = "ann@example.COM" });
    }

    [Fact]
    public async Task An_unparsable_index_is_a_400_naming_its_position()
    {
        var name = HttpJson.UniqueName("posts");
        var posts = NewCollection(name, NewField("title", FieldType.Text));
        posts.Indexes.Add($"CREATE INDEX `idx_ok_{name}` ON `{name}` (`title`)");
        posts.Indexes.Add("DROP TABLE users");

        var error = await Assert.ThrowsAsync<ApiError>(() => _db.CreateAsync(posts));
        Assert.Equal(400, error.Status);
        Assert.Equal("validation_invalid_index_expression", error.Data["indexes"]?["1"]?["code"]?.GetValue<string>());
        Assert.Null(error.Data["indexes"]?["0"]);
    }

    [Fact]
    public async Task Renaming_a_collection_renames_its_table_and_keeps_rows()
    {
        var old = NewCollection(HttpJson.UniqueName("before"), NewField("title", FieldType.Text));
        old.Indexes.Add($"CREATE INDEX `idx_title_{old.Name}` ON `{old.Name}` (`title` DESC)");
        await _db.CreateAsync(old);
        await _db.InsertAsync(old, new() { ["id"] = "r1", ["title"] = "kept" });

        var next = old.Clone();
        next.Name = HttpJson.UniqueName("after");
        await _db.UpdateAsync(old, next);

        Assert.Equal("kept", Assert.Single(await _db.ReadAllAsync(next)).Get("title"));
        await Assert.ThrowsAnyAsync<DbException>(() => _db.ColumnsAsync(old.Name));
    }

    [Fact]
    public async Task Renaming_a_collection_by_case_only_keeps_rows()
    {
        var old = NewCollection(HttpJson.UniqueName("posts"), NewField("title", FieldType.Text));
        await _db.CreateAsync(old);
        await _db.InsertAsync(old, new() { ["id"] = "r1", ["title"] = "kept" });

        var next = old.Clone();
        next.Name = "Posts" + old.Name["posts".Length..];
        await _db.UpdateAsync(old, next);

        Assert.Equal("kept", Assert.Single(await _db.ReadAllAsync(next)).Get("title"));
    }

    [Fact]
    public async Task A_view_collection_is_created_replaced_and_dropped()
    {
        var posts = NewCollection(HttpJson.UniqueName("posts"), NewField("title", FieldType.Text), NewField("views", FieldType.Number));
        await _db.CreateAsync(posts);
        await _db.InsertAsync(posts, new() { ["id"] = "r1", ["title"] = "t", ["views"] = 3d });

        var view = new Collection
        {
            Id = "pbc_view",
            Name = HttpJson.UniqueName("popular"),
            Type = CollectionType.View,
            ViewQuery = $"SELECT id, title FROM {_db.Dialect.Quote(posts.Name)} WHERE views > 1",
        };
        await _db.WriteAsync((c, tx, ct) => _db.Migrator.CreateAsync(c, tx, view, ct));
        Assert.Equal(["id", "title"], await _db.ColumnsAsync(view.Name));

        var replaced = view.Clone();
        replaced.ViewQuery = $"SELECT id, views FROM {_db.Dialect.Quote(posts.Name)}";
        await _db.WriteAsync((c, tx, ct) => _db.Migrator.UpdateAsync(c, tx, view, replaced, ct));
        Assert.Equal(["id", "views"], await _db.ColumnsAsync(view.Name));

        // A table change under a view keeps the view working (SQLite rebuilds the table).
        var nextPosts = posts.Clone();
        nextPosts.Fields.RemoveAll(f => f.Name == "title");
        await _db.UpdateAsync(posts, nextPosts);
        Assert.Equal(["id", "views"], await _db.ColumnsAsync(view.Name));

        await _db.WriteAsync((c, tx, ct) => _db.Migrator.DropAsync(c, tx, replaced, ct));
        await Assert.ThrowsAnyAsync<DbException>(() => _db.ColumnsAsync(view.Name));
    }

    [Fact]
    public async Task A_bad_view_query_is_a_400_on_viewQuery()
    {
        var view = new Collection { Id = "pbc_bad", Name = HttpJson.UniqueName("bad"), Type = CollectionType.View, ViewQuery = "SELECT nope FROM missing_table" };

        var error = await Assert.ThrowsAsync<ApiError>(() => _db.WriteAsync((c, tx, ct) => _db.Migrator.CreateAsync(c, tx, view, ct)));
        Assert.Equal(400, error.Status);
        Assert.NotNull(error.Data["viewQuery"]);
    }

    [Fact]
    public async Task Dropping_a_collection_drops_its_table()
    {
        var posts = NewCollection(HttpJson.UniqueName("posts"), NewField("title", FieldType.Text));
        await _db.CreateAsync(posts);
        await _db.WriteAsync((c, tx, ct) => _db.Migrator.DropAsync(c, tx, posts, ct));

        await Assert.ThrowsAnyAsync<DbException>(() => _db.ColumnsAsync(posts.Name));
    }
}

/// <summary>Schema migrations on SQLite.</summary>
public sealed class SchemaMigratorSqliteTests() : SchemaMigratorTests(StorageKind.Sqlite);

/// <summary>Schema migrations on PostgreSQL.</summary>
public sealed class SchemaMigratorPostgresTests() : SchemaMigratorTests(StorageKind.Postgres);
