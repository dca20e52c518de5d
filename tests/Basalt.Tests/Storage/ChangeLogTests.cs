using System.Net;
using System.Text.Json.Nodes;
using Basalt.Auth;
using Basalt.Collections;
using Basalt.Model;
using Basalt.Storage;
using Basalt.Storage.Changes;
using Basalt.Storage.Tables;
using Basalt.Tests.Fixtures;
using Record = Basalt.Model.Record;

namespace Basalt.Tests.Storage;

/// <summary>
/// The change log (issue 13): every committed record write appends one entry in its own transaction, with the row as
/// stored, whoever made it (records API, batch, cascade, truncate, auth-side writers); a write that fails appends
/// nothing; ids grow in commit order; pruning drops the oldest and remembers up to where.
/// </summary>
public abstract class ChangeLogTests(BasaltServerFixture server)
{
    private ChangeLogStore Log => server.Services.GetRequiredService<ChangeLogStore>();

    [Fact]
    public async Task Each_committed_create_update_and_delete_appends_an_entry_with_the_row_as_stored()
    {
        var (name, collectionId) = await CollectionAsync();
        var id = await CreateAsync(name, "one");
        Assert.Equal(HttpStatusCode.OK, (await server.Superuser.PatchJsonAsync($"/api/collections/{name}/records/{id}", new { title = "two" })).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await server.Superuser.DeleteJsonAsync($"/api/collections/{name}/records/{id}")).Status);

        var entries = await EntriesAsync(collectionId);

        Assert.Equal([ChangeActions.Create, ChangeActions.Update, ChangeActions.Delete], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal(id, e.RecordId));
        Assert.Equal(["one", "two", "two"], entries.Select(e => Decode(name, e).GetString("title")));
        Assert.True(entries[0].Id < entries[1].Id && entries[1].Id < entries[2].Id);
        Assert.Equal(0d, Decode(name, entries[0]).Get("n"));
    }

    [Fact]
    public async Task A_refused_or_failed_write_appends_nothing()
    {
        var (name, collectionId) = await CollectionAsync(createRule: "title != 'no'");
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Guest.PostJsonAsync($"/api/collections/{name}/records", new { title = "no" })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Superuser.PostJsonAsync($"/api/collections/{name}/records", new { @short = "too long" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Superuser.DeleteJsonAsync($"/api/collections/{name}/records/missing")).Status);

        Assert.Empty(await EntriesAsync(collectionId));
    }

    [Fact]
    public async Task A_create_the_database_refuses_appends_nothing_and_counts_nothing()
    {
        // On PostgreSQL a create's insert goes out with the count, the entry and COMMIT in one batch: the refusal of
        // the insert (the primary key, a unique index) must skip the rest and roll the transaction back.
        var (name, collectionId) = await CollectionAsync(indexes: true);
        var url = $"/api/collections/{name}/records";
        var id = await CreateAsync(name, new { id = "takenrecord0001", title = "first" });
        for (var attempt = 0; attempt < 4; attempt++)
        {
            var (status, body) = await server.Superuser.PostJsonAsync(url, new { id = "takenrecord0001", title = "other" + attempt });
            Assert.True(status == HttpStatusCode.BadRequest, body?.ToJsonString());
            Assert.NotNull(body!["data"]!["id"]);
            (status, body) = await server.Superuser.PostJsonAsync(url, new { title = "first" });
            Assert.True(status == HttpStatusCode.BadRequest, body?.ToJsonString());
            Assert.NotNull(body!["data"]!["title"]);
        }

        var second = await CreateAsync(name, "second");

        var entries = await EntriesAsync(collectionId);
        Assert.Equal([id, second], entries.Select(e => e.RecordId));
        Assert.Equal(2, await server.Services.GetRequiredService<RowCountStore>().ReadAsync(collectionId, CancellationToken.None));
    }

    [Fact]
    public async Task A_create_appends_every_field_as_the_api_answered_it()
    {
        var (name, collectionId) = await CollectionAsync();
        var (status, created) = await server.Superuser.PostJsonAsync($"/api/collections/{name}/records", new { title = "t", n = 2.5 });
        Assert.True(status == HttpStatusCode.OK, created?.ToJsonString());

        var entry = Assert.Single(await EntriesAsync(collectionId));
        var fields = server.Services.GetRequiredService<ICollectionLookup>().Find(name)!.Fields.Select(f => f.Name).ToList();
        Assert.Equal(fields, JsonNode.Parse(entry.Record)!.AsObject().Select(p => p.Key));
        var logged = Decode(name, entry);
        foreach (var field in fields)
        {
            Assert.Equal(created![field]!.ToJsonString(), System.Text.Json.JsonSerializer.Serialize(logged.Get(field)));
        }
    }

    [Fact]
    public async Task A_batch_appends_its_writes_in_order_and_a_failed_batch_nothing()
    {
        var (name, collectionId) = await CollectionAsync();
        Assert.Equal(HttpStatusCode.OK, (await server.Superuser.PatchJsonAsync("/api/settings", new { batch = new { enabled = true, maxRequests = 50, timeout = 3, maxBodySize = 0 } })).Status);
        var url = $"/api/collections/{name}/records";

        var failed = await server.Superuser.PostJsonAsync("/api/batch", new
        {
            requests = new object[]
            {
                new { method = "POST", url, body = new { title = "kept back" } },
                new { method = "POST", url, body = new { @short = "too long" } },
            },
        });
        Assert.Equal(HttpStatusCode.BadRequest, failed.Status);
        Assert.Empty(await EntriesAsync(collectionId));

        var (status, body) = await server.Superuser.PostJsonAsync("/api/batch", new
        {
            requests = new object[]
            {
                new { method = "POST", url, body = new { id = "batchrecord0001", title = "a" } },
                new { method = "PATCH", url = url + "/batchrecord0001", body = new { title = "b" } },
                new { method = "POST", url, body = new { title = "c" } },
                new { method = "DELETE", url = url + "/batchrecord0001" },
            },
        });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());

        var entries = await EntriesAsync(collectionId);
        Assert.Equal(["create a", "update b", "create c", "delete b"], entries.Select(e => e.Action + " " + Decode(name, e).GetString("title")));
    }

    [Fact]
    public async Task A_cascade_appends_the_detached_updates_and_the_cascaded_deletes()
    {
        var (parents, parentsId) = await CollectionAsync();
        var children = HttpJson.UniqueName("children");
        var childrenId = await CreateCollectionAsync(new JsonObject
        {
            ["name"] = children,
            ["type"] = "base",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "parent", ["type"] = "relation", ["collectionId"] = parentsId, ["maxSelect"] = 1, ["cascadeDelete"] = true }),
        });
        var loose = HttpJson.UniqueName("loose");
        var looseId = await CreateCollectionAsync(new JsonObject
        {
            ["name"] = loose,
            ["type"] = "base",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "parents", ["type"] = "relation", ["collectionId"] = parentsId, ["maxSelect"] = 5 }),
        });
        var parent = await CreateAsync(parents, "p");
        var other = await CreateAsync(parents, "other");
        var child = await CreateAsync(children, new { parent });
        var linked = await CreateAsync(loose, new { parents = new[] { parent, other } });

        Assert.Equal(HttpStatusCode.NoContent, (await server.Superuser.DeleteJsonAsync($"/api/collections/{parents}/records/{parent}")).Status);

        Assert.Equal([(ChangeActions.Create, child), (ChangeActions.Delete, child)], (await EntriesAsync(childrenId)).Select(e => (e.Action, e.RecordId)));
        var updates = (await EntriesAsync(looseId)).Where(e => e.Action == ChangeActions.Update).ToList();
        Assert.Equal(linked, Assert.Single(updates).RecordId);
        Assert.Equal([other], (List<string>)Decode(loose, updates[0]).Get("parents")!);
        Assert.Equal(ChangeActions.Delete, (await EntriesAsync(parentsId)).Last().Action);
    }

    [Fact]
    public async Task A_truncate_appends_a_delete_per_record()
    {
        var (name, collectionId) = await CollectionAsync();
        var ids = new[] { await CreateAsync(name, "a"), await CreateAsync(name, "b") };

        await server.Services.GetRequiredService<CollectionService>().TruncateAsync(name, CancellationToken.None);

        var deletes = (await EntriesAsync(collectionId)).Where(e => e.Action == ChangeActions.Delete).Select(e => e.RecordId).Order();
        Assert.Equal(ids.Order(), deletes);
    }

    [Fact]
    public async Task A_write_outside_the_records_api_is_logged_too()
    {
        var email = HttpJson.UniqueName("log") + "@example.com";
        var superusers = server.Services.GetRequiredService<SuperuserService>();
        var collectionId = server.Services.GetRequiredService<ICollectionLookup>().Find(SystemCollections.Superusers)!.Id;

        await superusers.UpsertAsync(email, "1234567890", CancellationToken.None);
        await superusers.UpsertAsync(email, "0987654321", CancellationToken.None);

        var mine = (await EntriesAsync(collectionId)).Where(e => Decode(SystemCollections.Superusers, e).GetString("email") == email).ToList();
        Assert.Equal([ChangeActions.Create, ChangeActions.Update], mine.Select(e => e.Action));
        Assert.NotEqual(Decode(SystemCollections.Superusers, mine[0]).GetString("password"), Decode(SystemCollections.Superusers, mine[1]).GetString("password"));
    }

    [Fact]
    public async Task Pruning_keeps_the_newest_entries_and_remembers_how_far_it_went()
    {
        var (name, _) = await CollectionAsync();
        for (var i = 0; i < 5; i++)
        {
            await CreateAsync(name, "t" + i);
        }

        var before = await Log.BoundsAsync(CancellationToken.None);
        while (await Log.PruneAsync(0, 3, CancellationToken.None) > 0)
        {
        }

        var after = await Log.BoundsAsync(CancellationToken.None);
        var left = await Log.ReadAsync(0, long.MaxValue, 100, CancellationToken.None);
        Assert.Equal(before.Head, after.Head);
        Assert.Equal(before.Head - 3, after.PrunedThrough);
        Assert.All(left, e => Assert.True(e.Id > after.PrunedThrough));
        Assert.Equal(before.Head, left.Last().Id);
    }

    [Fact]
    public async Task Committed_runs_group_consecutive_ids_and_stop_at_their_bounds()
    {
        var (name, collectionId) = await CollectionAsync();
        var after = (await Log.BoundsAsync(CancellationToken.None)).Head;
        for (var i = 0; i < 6; i++)
        {
            await CreateAsync(name, "r" + i);
        }

        var ids = (await EntriesAsync(collectionId)).Select(e => e.Id).ToList();
        Assert.Equal(Enumerable.Range(0, 6).Select(i => after + 1 + i), ids);

        // Gaps as a rolled-back write leaves them: ids 3 and 5 of the six never appear.
        var database = server.Services.GetRequiredService<IDatabase>();
        await database.WriteAsync(
            (c, t, ct) => c.ExecuteAsync("DELETE FROM \"_changes\" WHERE \"id\" IN (@a, @b)", t, ct, ("a", ids[2]), ("b", ids[4])),
            CancellationToken.None);

        Assert.Equal([(ids[0], ids[1]), (ids[3], ids[3]), (ids[5], ids[5])], await Log.ReadCommittedRunsAsync(after, 100, 100, CancellationToken.None));
        Assert.Equal([(ids[1], ids[1]), (ids[3], ids[3])], await Log.ReadCommittedRunsAsync(ids[0], 100, 2, CancellationToken.None));
        Assert.Equal([(ids[0], ids[1]), (ids[3], ids[3])], await Log.ReadCommittedRunsAsync(after, 3, 100, CancellationToken.None));
        Assert.Empty(await Log.ReadCommittedRunsAsync(ids[5], 100, 100, CancellationToken.None));
    }

    private async Task<List<ChangeEntry>> EntriesAsync(string collectionId) =>
        (await Log.ReadAsync(0, long.MaxValue, 1_000_000, CancellationToken.None)).Where(e => e.CollectionId == collectionId).ToList();

    private Record Decode(string collection, ChangeEntry entry) =>
        RecordSnapshot.Decode(server.Services.GetRequiredService<ICollectionLookup>().Find(collection)!, entry.Record);

    private async Task<(string Name, string Id)> CollectionAsync(string? createRule = "", bool indexes = false)
    {
        var name = HttpJson.UniqueName("log");
        var id = await CreateCollectionAsync(new JsonObject
        {
            ["indexes"] = indexes ? new JsonArray($"CREATE UNIQUE INDEX idx_{name}_title ON {name} (title)") : new JsonArray(),
            ["name"] = name,
            ["type"] = "base",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "title", ["type"] = "text" }, new JsonObject { ["name"] = "n", ["type"] = "number" },
                new JsonObject { ["name"] = "short", ["type"] = "text", ["max"] = 3 }),
            ["listRule"] = "",
            ["viewRule"] = "",
            ["createRule"] = createRule,
            ["deleteRule"] = "",
        });
        return (name, id);
    }

    private async Task<string> CreateCollectionAsync(JsonObject body)
    {
        var (status, created) = await server.Superuser.PostJsonAsync("/api/collections", body.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, created?.ToJsonString());
        return created!["id"]!.GetValue<string>();
    }

    private Task<string> CreateAsync(string collection, string title) => CreateAsync(collection, new { title });

    private async Task<string> CreateAsync(string collection, object body)
    {
        var (status, created) = await server.Superuser.PostJsonAsync($"/api/collections/{collection}/records", body);
        Assert.True(status == HttpStatusCode.OK, created?.ToJsonString());
        return created!["id"]!.GetValue<string>();
    }
}

public sealed class ChangeLogSqliteTests(SqliteServerFixture f) : ChangeLogTests(f), IClassFixture<SqliteServerFixture>;

public sealed class ChangeLogPostgresTests(PostgresServerFixture f) : ChangeLogTests(f), IClassFixture<PostgresServerFixture>;
