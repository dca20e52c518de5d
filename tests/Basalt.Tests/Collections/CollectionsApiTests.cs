using System.Net;
using System.Text.Json.Nodes;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Collections;

/// <summary>The collections API over real HTTP: CRUD, listing, scaffolds, import, truncate and migrations that keep rows.</summary>
public abstract class CollectionsApiTests(BasaltServerFixture fixture)
{
    private static readonly string[] TagValues = ["a", "b"];

    private readonly CollectionsDb _db = new(fixture);

    private HttpClient Su => fixture.Superuser;

    public static TheoryData<string, string> GuardedRoutes => new()
    {
        { "GET", "/api/collections" },
        { "POST", "/api/collections" },
        { "GET", "/api/collections/_superusers" },
        { "PATCH", "/api/collections/_superusers" },
        { "DELETE", "/api/collections/_superusers" },
        { "DELETE", "/api/collections/_superusers/truncate" },
        { "PUT", "/api/collections/import" },
        { "GET", "/api/collections/meta/scaffolds" },
        { "GET", "/api/collections/meta/oauth2-providers" },
        { "POST", "/api/collections/meta/dry-run-view" },
    };

    [Theory]
    [MemberData(nameof(GuardedRoutes))]
    public async Task Every_route_answers_401_to_guests(string method, string url)
    {
        var (status, body) = await fixture.Guest.SendJsonAsync(new HttpMethod(method), url, method is "GET" or "DELETE" ? null : "{}");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(401, body!["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task Non_superuser_auth_gets_403()
    {
        var name = HttpJson.UniqueName("members");
        var (status, _) = await Su.PostJsonAsync("/api/collections", new { name, type = "auth", createRule = "" });
        Assert.Equal(HttpStatusCode.OK, status);
        (status, var created) = await fixture.Guest.PostJsonAsync($"/api/collections/{name}/records", new { email = "m@example.com", password = "12345678", passwordConfirm = "12345678" });
        Assert.True(status == HttpStatusCode.OK, created?.ToJsonString());
        var member = await fixture.SignInAsync(name, "m@example.com", "12345678");
        (status, var body) = await member.GetJsonAsync("/api/collections");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(403, body!["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task Superusers_system_collection_exists_with_its_reference_id()
    {
        var (status, body) = await Su.GetJsonAsync("/api/collections/_SUPERUSERS");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("pbc_3142635823", body!["id"]!.GetValue<string>());
        Assert.True(body["system"]!.GetValue<bool>());
        Assert.Null(body["listRule"]);
        Assert.Equal(86400, body["authToken"]!["duration"]!.GetValue<int>());
        Assert.DoesNotContain("secret", body.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Create_base_collection_with_every_field_type_round_trips()
    {
        var target = await CreateAsync(new { name = HttpJson.UniqueName("target") });
        var name = HttpJson.UniqueName("posts");
        var fields = new object[]
        {
            new { name = "title", type = "text", min = 1, max = 50, pattern = "^[a-z ]+$", required = true },
            new { name = "score", type = "number", min = 0, max = 10, onlyInt = true },
            new { name = "done", type = "bool" },
            new { name = "mail", type = "email", onlyDomains = new[] { "example.com" } },
            new { name = "site", type = "url", exceptDomains = new[] { "bad.com" } },
            new { name = "body", type = "editor", maxSize = 1000, convertURLs = true },
            new { name = "due", type = "date", min = "2020-01-01 00:00:00.000Z", max = "" },
            new { name = "stamp", type = "autodate", onCreate = true, onUpdate = true },
            new { name = "tags", type = "select", values = new[] { "a", "b", "c" }, maxSelect = 2 },
            new { name = "meta", type = "json", maxSize = 100 },
            new { name = "docs", type = "file", maxSelect = 3, maxSize = 1024, mimeTypes = new[] { "image/png" }, thumbs = new[] { "100x100" } },
            new { name = "owner", type = "relation", collectionId = target["id"]!.GetValue<string>(), maxSelect = 1, cascadeDelete = true },
            new { name = "secret", type = "password", min = 4, max = 20, cost = 5 },
            new { name = "where", type = "geoPoint" },
        };
        var created = await CreateAsync(new { name, listRule = "", viewRule = "title != ''", fields, indexes = new[] { $"CREATE INDEX `idx_{name}_title` ON `whatever` (`title`)" } });

        Assert.Equal("pbc_", created["id"]!.GetValue<string>()[..4]);
        Assert.Equal("base", created["type"]!.GetValue<string>());
        var names = created["fields"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(["id", .. fields.Select(f => (string)f.GetType().GetProperty("name")!.GetValue(f)!)], names);
        var title = created["fields"]![1]!;
        Assert.Equal("text" + Basalt.Collections.CollectionIds.Crc32Decimal("title"), title["id"]!.GetValue<string>());
        Assert.Equal(50, title["max"]!.GetValue<int>());
        Assert.Equal("^[a-z ]+$", title["pattern"]!.GetValue<string>());
        Assert.Equal(2, created["fields"]![9]!["maxSelect"]!.GetValue<int>());
        Assert.Equal($"CREATE INDEX `idx_{name}_title` ON `{name}` (`title`)", created["indexes"]![0]!.GetValue<string>());
        Assert.True(await _db.TableExistsAsync(name));

        var (status, viewed) = await Su.GetJsonAsync("/api/collections/" + created["id"]);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(created.ToJsonString(), viewed!.ToJsonString());
    }

    [Fact]
    public async Task Create_auth_collection_gets_system_fields_options_and_indexes()
    {
        var name = HttpJson.UniqueName("users");
        var created = await CreateAsync(new { name, type = "auth", fields = new[] { new { name = "nick", type = "text" } } });
        var names = created["fields"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(["id", "nick", "password", "tokenKey", "email", "emailVisibility", "verified"], names);
        Assert.True(created["fields"]![2]!["hidden"]!.GetValue<bool>());
        Assert.Equal("", created["authRule"]!.GetValue<string>());
        Assert.Equal(432000, created["authToken"]!["duration"]!.GetValue<int>());
        Assert.Empty(created["oauth2"]!["providers"]!.AsArray());
        Assert.Equal(2, created["indexes"]!.AsArray().Count);
        Assert.DoesNotContain("secret", created.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task List_filters_sorts_and_pages()
    {
        var prefix = HttpJson.UniqueName("lst");
        foreach (var suffix in new[] { "b", "a", "c" })
        {
            await CreateAsync(new { name = prefix + suffix });
        }

        var (status, page) = await Su.GetJsonAsync($"/api/collections?filter={Uri.EscapeDataString($"name ~ '{prefix}'")}&sort=-name&perPage=2");
        Assert.True(status == HttpStatusCode.OK, page?.ToJsonString());
        Assert.Equal(3, page!["totalItems"]!.GetValue<int>());
        Assert.Equal(2, page["totalPages"]!.GetValue<int>());
        Assert.Equal([prefix + "c", prefix + "b"], page["items"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()));

        (status, page) = await Su.GetJsonAsync($"/api/collections?filter={Uri.EscapeDataString($"name ~ '{prefix}' && system = false")}&page=2&perPage=2&sort=name&skipTotal=1");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(-1, page!["totalItems"]!.GetValue<int>());
        Assert.Equal([prefix + "c"], page["items"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()));

        (status, page) = await Su.GetJsonAsync("/api/collections?filter=" + Uri.EscapeDataString("type = 'auth' && system = true"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(page!["items"]!.AsArray(), i => i!["name"]!.GetValue<string>() == "_superusers");

        // The filter is compiled for the calling superuser, so it may read @request.* like any filter.
        (status, page) = await Su.GetJsonAsync("/api/collections?filter=" + Uri.EscapeDataString(
            $"name ~ '{prefix}' && @request.auth.collectionName = '_superusers' && @request.query.tag = 'x'") + "&tag=x");
        Assert.True(status == HttpStatusCode.OK, page?.ToJsonString());
        Assert.Equal(3, page!["totalItems"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("filter=name%20%3D%3D")]
    [InlineData("filter=nosuchcolumn%20%3D%201")]
    [InlineData("filter=name%20%3D%20%27x%27%3B%20DROP%20TABLE%20_collections")]
    [InlineData("sort=name;DROP")]
    [InlineData("page=abc")]
    public async Task Hostile_list_queries_get_400(string query)
    {
        var (status, body) = await Su.GetJsonAsync("/api/collections?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(400, body!["status"]!.GetValue<int>());
        Assert.True(await _db.TableExistsAsync("_collections"));
    }

    [Fact]
    public async Task Literal_meta_routes_win_over_collection_names()
    {
        var (status, scaffolds) = await Su.GetJsonAsync("/api/collections/meta/scaffolds");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("", scaffolds!["base"]!["id"]!.GetValue<string>());
        Assert.Equal("text3208210256", scaffolds["base"]!["fields"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(6, scaffolds["auth"]!["fields"]!.AsArray().Count);
        Assert.Equal("", scaffolds["view"]!["viewQuery"]!.GetValue<string>());

        (status, var providers) = await Su.GetJsonAsync("/api/collections/meta/oauth2-providers");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(providers!.AsArray(), p => p!["name"]!.GetValue<string>() == "google");
    }

    [Fact]
    public async Task Update_renames_adds_and_removes_fields_keeping_rows()
    {
        var name = HttpJson.UniqueName("keep");
        var created = await CreateAsync(new { name, fields = new object[] { new { name = "title", type = "text" }, new { name = "old", type = "number" }, new { name = "tags", type = "select", values = TagValues } } });
        await _db.InsertAsync(name, new Dictionary<string, object> { ["id"] = "aaaaaaaaaaaaaaa", ["title"] = "first", ["old"] = 1.0, ["tags"] = "a" });
        await _db.InsertAsync(name, new Dictionary<string, object> { ["id"] = "bbbbbbbbbbbbbbb", ["title"] = "second", ["old"] = 2.0, ["tags"] = "b" });

        var fields = created["fields"]!.AsArray().Select(f => f!.DeepClone().AsObject()).ToList();
        fields[1]["name"] = "heading";
        fields[1]["max"] = 100;
        fields[3]["maxSelect"] = 2;
        fields.RemoveAt(2);
        fields.Add(new JsonObject { ["name"] = "extra", ["type"] = "bool" });
        var (status, updated) = await Su.PatchJsonAsync("/api/collections/" + name, new JsonObject { ["fields"] = new JsonArray([.. fields]) });
        Assert.True(status == HttpStatusCode.OK, updated?.ToJsonString());
        Assert.Equal(created["fields"]![1]!["id"]!.GetValue<string>(), updated!["fields"]![1]!["id"]!.GetValue<string>());
        Assert.Equal(["id", "heading", "tags", "extra"], updated["fields"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()));

        Assert.Equal(2, await _db.CountRowsAsync(name));
        Assert.Equal(["first", "second"], await _db.ColumnAsync(name, "heading"));
        Assert.Contains("a", (await _db.ColumnAsync(name, "tags"))[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rename_collection_keeps_id_and_rows()
    {
        var name = HttpJson.UniqueName("ren");
        var created = await CreateAsync(new { name, fields = new[] { new { name = "title", type = "text" } } });
        await _db.InsertAsync(name, new Dictionary<string, object> { ["id"] = "ccccccccccccccc", ["title"] = "x" });
        var (status, updated) = await Su.PatchJsonAsync("/api/collections/" + created["id"], new { name = name + "_new", listRule = "title = 'x'" });
        Assert.True(status == HttpStatusCode.OK, updated?.ToJsonString());
        Assert.Equal(created["id"]!.GetValue<string>(), updated!["id"]!.GetValue<string>());
        Assert.Equal("title = 'x'", updated["listRule"]!.GetValue<string>());
        Assert.False(await _db.TableExistsAsync(name));
        Assert.Equal(1, await _db.CountRowsAsync(name + "_new"));
    }

    [Fact]
    public async Task Delete_drops_the_table_and_refuses_system_and_referenced_collections()
    {
        var (status, _) = await Su.DeleteJsonAsync("/api/collections/_superusers");
        Assert.Equal(HttpStatusCode.BadRequest, status);

        var target = await CreateAsync(new { name = HttpJson.UniqueName("ref") });
        var holder = await CreateAsync(new { name = HttpJson.UniqueName("holder"), fields = new[] { new { name = "r", type = "relation", collectionId = target["id"]!.GetValue<string>() } } });
        (status, _) = await Su.DeleteJsonAsync("/api/collections/" + target["name"]);
        Assert.Equal(HttpStatusCode.BadRequest, status);

        (status, _) = await Su.DeleteJsonAsync("/api/collections/" + holder["name"]);
        Assert.Equal(HttpStatusCode.NoContent, status);
        Assert.False(await _db.TableExistsAsync(holder["name"]!.GetValue<string>()));
        Assert.False(await _db.CollectionRowExistsAsync(holder["name"]!.GetValue<string>()));
        (status, _) = await Su.DeleteJsonAsync("/api/collections/" + target["name"]);
        Assert.Equal(HttpStatusCode.NoContent, status);
        (status, _) = await Su.GetJsonAsync("/api/collections/" + target["name"]);
        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Fact]
    public async Task Truncate_deletes_every_row()
    {
        var name = HttpJson.UniqueName("trunc");
        await CreateAsync(new { name });
        await _db.InsertAsync(name, new Dictionary<string, object> { ["id"] = "ddddddddddddddd" });
        var (status, body) = await Su.DeleteJsonAsync($"/api/collections/{name}/truncate");
        Assert.True(status == HttpStatusCode.NoContent, body?.ToJsonString());
        Assert.Equal(0, await _db.CountRowsAsync(name));
    }

    [Fact]
    public async Task Import_creates_related_collections_in_one_write_and_rejects_bad_sets_whole()
    {
        var a = HttpJson.UniqueName("impa");
        var b = HttpJson.UniqueName("impb");
        var body = new
        {
            collections = new object[]
            {
                new { id = "imp_" + a, name = a, type = "base", fields = new[] { new { name = "title", type = "text" } } },
                new { name = b, type = "base", fields = new object[] { new { name = "a", type = "relation", collectionId = "imp_" + a } } },
            },
            deleteMissing = false,
        };
        var (status, result) = await Su.SendJsonAsync(HttpMethod.Put, "/api/collections/import", body);
        Assert.True(status == HttpStatusCode.NoContent, result?.ToJsonString());
        Assert.True(await _db.TableExistsAsync(a));
        Assert.True(await _db.TableExistsAsync(b));

        var c = HttpJson.UniqueName("impc");
        var bad = new
        {
            collections = new object[]
            {
                new { name = c, type = "base" },
                new { name = a, type = "base", fields = new[] { new { name = "bad name", type = "text" } } },
            },
        };
        (status, result) = await Su.SendJsonAsync(HttpMethod.Put, "/api/collections/import", bad);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(result!["data"]!["collections"]);
        Assert.False(await _db.TableExistsAsync(c));
        Assert.False(await _db.CollectionRowExistsAsync(c));

        (status, result) = await Su.SendJsonAsync(HttpMethod.Put, "/api/collections/import", new { collections = "nope" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(result!["data"]!["collections"]);
    }

    private async Task<JsonNode> CreateAsync(object body)
    {
        var (status, created) = await Su.PostJsonAsync("/api/collections", body);
        Assert.True(status == HttpStatusCode.OK, created?.ToJsonString());
        return created!;
    }
}

public sealed class CollectionsApiSqliteTests(SqliteServerFixture f) : CollectionsApiTests(f), IClassFixture<SqliteServerFixture>;

public sealed class CollectionsApiPostgresTests(PostgresServerFixture f) : CollectionsApiTests(f), IClassFixture<PostgresServerFixture>;
