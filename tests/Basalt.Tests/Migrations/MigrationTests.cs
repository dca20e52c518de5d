using System.Net;
using System.Text.Json.Nodes;
using Basalt.Collections;
using Basalt.Migrations;
using Basalt.Storage;
using Basalt.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;

namespace Basalt.Tests.Migrations;

/// <summary>
/// Migrations as code on each database: a schema made through the API on one server (by <c>migrate create</c> or by
/// automigrate) replays on a fresh database to the same collections, <c>down</c> takes it back, and a migration that
/// does not read or that the database refuses changes nothing and says why. The shared fixture hosts the failure
/// cases (each in a folder of its own, leaving the collections as it found them); the round trips start servers of their own.
/// </summary>
public abstract partial class MigrationTests(BasaltServerFixture fixture)
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static readonly string[] PostsIndexes = ["CREATE UNIQUE INDEX idx_posts_title ON posts (title)"];

    private StorageKind Kind => fixture.Storage;

    [Fact]
    public async Task Create_up_status_down_round_trip()
    {
        var folder = MigrationFolders.Create();
        var servers = new List<MigrationServer>();
        try
        {
            var laptop = await StartAsync(servers, folder, automigrate: false);
            await MakeSchemaAsync(laptop);
            Assert.False(Directory.EnumerateFiles(folder).Any(), "automigrate is off: no file");

            var service = laptop.Services.GetRequiredService<MigrationService>();
            var initial = await service.CreateAsync("initial", None);
            Assert.NotNull(initial);
            Assert.Equal(["posts", "members", "post_titles"], initial.Value.File.Changes.Select(c => c.Name));
            Assert.All(initial.Value.File.Changes, c => Assert.Null(c.Before));
            Assert.Null(await service.CreateAsync("nothing_new", None));

            var withoutBody = await MigrationFolders.CollectionsAsync(laptop);
            await AddFieldAsync(laptop, "posts", new JsonObject { ["name"] = "body", ["type"] = "editor" });
            var addBody = await service.CreateAsync("add_body", None);
            var change = Assert.Single(addBody!.Value.File.Changes);
            Assert.True(change is { Name: "posts", Before: not null, After: not null });
            Assert.All(await service.StatusAsync(None), s => Assert.Equal(MigrationStateKind.Applied, s.State));
            var expected = await MigrationFolders.CollectionsAsync(laptop);

            var staging = await StartAsync(servers, folder, automigrate: false);
            var fresh = await MigrationFolders.CollectionsAsync(staging);
            var collections = staging.Services.GetRequiredService<CollectionService>();
            var (made, predicted) = (collections.Snapshots(), collections.FreshDatabaseSnapshots());
            Assert.Equal(made.Count, predicted.Count);
            Assert.All(made.Zip(predicted), pair => Assert.True(JsonNode.DeepEquals(pair.First, pair.Second), pair.First.ToJsonString() + "\n" + pair.Second.ToJsonString()));
            var migrations = staging.Services.GetRequiredService<MigrationService>();
            Assert.All(await migrations.StatusAsync(None), s => Assert.Equal(MigrationStateKind.Pending, s.State));

            Assert.Equal(2, (await migrations.UpAsync(None)).Count);
            Assert.Equal(expected, await MigrationFolders.CollectionsAsync(staging));
            var (created, record) = await staging.Superuser.PostJsonAsync("/api/collections/posts/records", new { title = "hello", body = "<p>x</p>" });
            Assert.True(created == HttpStatusCode.OK, record?.ToJsonString());
            Assert.Empty(await migrations.UpAsync(None));

            Assert.Equal([addBody.Value.File.FileName], await migrations.DownAsync(1, None));
            Assert.Equal(withoutBody, await MigrationFolders.CollectionsAsync(staging));
            var (kept, row) = await staging.Superuser.GetJsonAsync($"/api/collections/posts/records/{record!["id"]}");
            Assert.True(kept == HttpStatusCode.OK && row!["title"]!.GetValue<string>() == "hello", row?.ToJsonString());

            Assert.Single(await migrations.DownAsync(5, None));
            Assert.Equal(fresh, await MigrationFolders.CollectionsAsync(staging));
            Assert.Empty(await migrations.DownAsync(1, None));
            Assert.All(await migrations.StatusAsync(None), s => Assert.Equal(MigrationStateKind.Pending, s.State));

            Assert.Equal(2, (await migrations.UpAsync(None)).Count);
            Assert.Equal(expected, await MigrationFolders.CollectionsAsync(staging));
        }
        finally
        {
            await DisposeAsync(servers, folder);
        }
    }

    [Fact]
    public async Task Automigrate_writes_files_that_replayed_on_a_fresh_database_give_the_same_collections()
    {
        var folder = MigrationFolders.Create();
        var servers = new List<MigrationServer>();
        try
        {
            var laptop = await StartAsync(servers, folder, automigrate: true);
            var su = laptop.Superuser;
            await CreateAsync(su, new { name = "tags", type = "base", fields = new object[] { new { name = "label", type = "text" } } });
            var posts = await CreateAsync(su, new { name = "posts", type = "base", fields = new object[] { new { name = "title", type = "text" } } });
            var tagsId = (await su.GetJsonAsync("/api/collections/tags")).Body!["id"]!.GetValue<string>();

            var fields = posts["fields"]!.AsArray();
            fields.OfType<JsonObject>().Single(f => f["name"]!.GetValue<string>() == "title")["name"] = "headline";
            fields.Add(new JsonObject { ["name"] = "tags", ["type"] = "relation", ["collectionId"] = tagsId, ["maxSelect"] = 5 });
            var (patched, patchBody) = await su.PatchJsonAsync("/api/collections/posts", new JsonObject
            {
                ["fields"] = fields.DeepClone(),
                ["listRule"] = "headline != ''",
                ["indexes"] = new JsonArray("CREATE INDEX idx_posts_headline ON posts (headline)"),
            });
            Assert.True(patched == HttpStatusCode.OK, patchBody?.ToJsonString());
            await CreateAsync(su, new { name = "post_titles", type = "view", viewQuery = "SELECT id, headline FROM posts" });
            await CreateAsync(su, new { name = "scratch", type = "base" });
            var (deleted, _) = await su.DeleteJsonAsync("/api/collections/scratch");
            Assert.Equal(HttpStatusCode.NoContent, deleted);

            var current = (JsonObject)(await su.GetJsonAsync("/api/collections/posts")).Body!;
            current["fields"]!.AsArray().Add(new JsonObject { ["name"] = "extra", ["type"] = "number" });
            var (imported, importBody) = await su.SendJsonAsync(HttpMethod.Put, "/api/collections/import", new JsonObject
            {
                ["collections"] = new JsonArray(
                    new JsonObject { ["name"] = "imported", ["type"] = "base", ["fields"] = new JsonArray(new JsonObject { ["name"] = "n", ["type"] = "number" }) },
                    current),
                ["deleteMissing"] = false,
            }.ToJsonString());
            Assert.True(imported == HttpStatusCode.NoContent, importBody?.ToJsonString());
            await AddFieldAsync(laptop, "users", new JsonObject { ["name"] = "nickname", ["type"] = "text" });

            // Secrets stay out of the files; the provider still replays on a database that has no secret for it.
            var (oauth, oauthBody) = await su.PatchJsonAsync("/api/collections/users", new
            {
                oauth2 = new { enabled = true, providers = new[] { new { name = "google", clientId = "laptop-client", clientSecret = "laptop-secret" } } },
            });
            Assert.True(oauth == HttpStatusCode.OK, oauthBody?.ToJsonString());

            // Writing a collection back unchanged is no migration.
            var (same, _) = await su.PatchJsonAsync("/api/collections/tags", new { });
            Assert.Equal(HttpStatusCode.OK, same);

            var names = Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).Select(n => n![(n!.IndexOf('_') + 1)..]).ToList();
            Assert.Equal(
                ["created_tags.json", "created_posts.json", "updated_posts.json", "created_post_titles.json", "created_scratch.json", "deleted_scratch.json", "updated_collections.json", "updated_users.json", "updated_users.json"],
                names);
            Assert.All(Directory.GetFiles(folder), f => Assert.DoesNotContain("laptop-secret", File.ReadAllText(f), StringComparison.Ordinal));
            var service = laptop.Services.GetRequiredService<MigrationService>();
            Assert.All(await service.StatusAsync(None), s => Assert.Equal(MigrationStateKind.Applied, s.State));
            Assert.Empty(await service.UpAsync(None));
            Assert.Null(await service.CreateAsync("nothing_left", None));
            var expected = await MigrationFolders.CollectionsAsync(laptop);

            var staging = await StartAsync(servers, folder, automigrate: false, migrateAtStart: true);
            Assert.Equal(expected, await MigrationFolders.CollectionsAsync(staging));
            Assert.Equal(9, (await staging.Services.GetRequiredService<MigrationService>().StatusAsync(None)).Count(s => s.State == MigrationStateKind.Applied));
            Assert.Equal(9, Directory.GetFiles(folder).Length);
        }
        finally
        {
            await DisposeAsync(servers, folder);
        }
    }

    [Fact]
    public async Task Automigrate_that_cannot_write_its_file_refuses_the_change()
    {
        var parent = MigrationFolders.Create();
        var folder = Path.Combine(parent, "not-a-folder");
        await File.WriteAllTextAsync(folder, "a file where the folder should be");
        var servers = new List<MigrationServer>();
        try
        {
            var server = await StartAsync(servers, folder, automigrate: true);
            var (status, body) = await server.Superuser.PostJsonAsync("/api/collections", new { name = "refused", type = "base" });
            Assert.Equal(HttpStatusCode.InternalServerError, status);
            Assert.Contains("migration file could not be written", body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
            var (missing, _) = await server.Superuser.GetJsonAsync("/api/collections/refused");
            Assert.Equal(HttpStatusCode.NotFound, missing);
        }
        finally
        {
            await DisposeAsync(servers, parent);
        }
    }

    private async Task<MigrationServer> StartAsync(List<MigrationServer> servers, string folder, bool automigrate, bool migrateAtStart = false)
    {
        var server = await MigrationServer.StartAsync(Kind, folder, automigrate, migrateAtStart);
        servers.Add(server);
        return server;
    }

    private static async Task DisposeAsync(List<MigrationServer> servers, string folder)
    {
        foreach (var server in servers)
        {
            await server.DisposeAsync();
        }

        MigrationFolders.Delete(folder);
    }

    /// <summary>A base collection with a relation and a unique index, an auth collection with a field, and a view over the first.</summary>
    private static async Task MakeSchemaAsync(BasaltServerFixture server)
    {
        var su = server.Superuser;
        await CreateAsync(su, new
        {
            name = "posts",
            type = "base",
            listRule = "",
            fields = new object[]
            {
                new { name = "title", type = "text", required = true, max = 200 },
                new { name = "score", type = "number" },
                new { name = "author", type = "relation", collectionId = "_pb_users_auth_", maxSelect = 1 },
            },
            indexes = PostsIndexes,
        });
        await CreateAsync(su, new { name = "members", type = "auth", fields = new object[] { new { name = "nickname", type = "text" } } });
        await CreateAsync(su, new { name = "post_titles", type = "view", viewQuery = "SELECT id, title FROM posts" });
    }

    private static async Task<JsonObject> CreateAsync(HttpClient su, object body)
    {
        var (status, created) = await su.PostJsonAsync("/api/collections", body);
        Assert.True(status == HttpStatusCode.OK, created?.ToJsonString());
        return (JsonObject)created!;
    }

    private static async Task AddFieldAsync(BasaltServerFixture server, string collection, JsonObject field)
    {
        var (_, current) = await server.Superuser.GetJsonAsync($"/api/collections/{collection}");
        var fields = current!["fields"]!.AsArray();
        fields.Add(field);
        var (status, body) = await server.Superuser.PatchJsonAsync($"/api/collections/{collection}", new JsonObject { ["fields"] = fields.DeepClone() });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
    }

    /// <summary>A migration service over the shared fixture's database with a folder of the test's own.</summary>
    private MigrationService ServiceFor(string folder) => new(
        fixture.Services.GetRequiredService<IDatabase>(),
        fixture.Services.GetRequiredService<CollectionService>(),
        new MigrationOptions { Folder = folder },
        TimeProvider.System,
        NullLogger<MigrationService>.Instance);
}

public sealed class MigrationSqliteTests(SqliteServerFixture f) : MigrationTests(f), IClassFixture<SqliteServerFixture>;

public sealed class MigrationPostgresTests(PostgresServerFixture f) : MigrationTests(f), IClassFixture<PostgresServerFixture>;
