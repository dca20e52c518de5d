using System.Net;
using System.Text.Json.Nodes;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Collections;

/// <summary>Bad input to the collections API (4xx naming the field, nothing half-written) and view collections.</summary>
public abstract class CollectionsValidationTests(BasaltServerFixture fixture)
{
    private readonly CollectionsDb _db = new(fixture);

    private HttpClient Su => fixture.Superuser;

    /// <summary>A create body (NAME is replaced by a fresh collection name) and the error path it must produce.</summary>
    public static TheoryData<string, string, string> BadCreates => new()
    {
        { "not json", "{\"name\":", "" },
        { "array body", "[1,2]", "" },
        { "name wrong type", """{"name":5}""", "name" },
        { "unknown type", """{"name":"NAME","type":"table"}""", "type" },
        { "blank name", """{"name":""}""", "name" },
        { "name with space", """{"name":"NAME x"}""", "name" },
        { "name injection", """{"name":"NAME\"; DROP TABLE _collections; --"}""", "name" },
        { "name too long", "{\"name\":\"" + new string('n', 256) + "\"}", "name" },
        { "name with via", """{"name":"NAME_via_x"}""", "name" },
        { "internal table", """{"name":"_collections"}""", "name" },
        { "internal params", """{"name":"_PARAMS"}""", "name" },
        { "sqlite catalog", """{"name":"sqlite_master"}""", "name" },
        { "taken name", """{"name":"_Superusers"}""", "name" },
        { "taken id", """{"name":"NAME","id":"pbc_3142635823"}""", "id" },
        { "bad id", """{"name":"NAME","id":"a b"}""", "id" },
        { "fields not array", """{"name":"NAME","fields":{}}""", "fields" },
        { "unknown field type", """{"name":"NAME","fields":[{"name":"a","type":"blob"}]}""", "fields.0.type" },
        { "field name blank", """{"name":"NAME","fields":[{"name":"","type":"text"}]}""", "fields.0.name" },
        { "field name injection", """{"name":"NAME","fields":[{"name":"a\" TEXT); DROP TABLE _collections; --","type":"text"}]}""", "fields.0.name" },
        { "field name reserved", """{"name":"NAME","fields":[{"name":"expand","type":"text"}]}""", "fields.0.name" },
        { "field name reserved case", """{"name":"NAME","fields":[{"name":"CollectionId","type":"text"}]}""", "fields.0.name" },
        { "duplicate field", """{"name":"NAME","fields":[{"name":"a","type":"text"},{"name":"A","type":"bool"}]}""", "fields.1.name" },
        { "text min over max", """{"name":"NAME","fields":[{"name":"a","type":"text","min":5,"max":2}]}""", "fields.0.max" },
        { "text bad pattern", """{"name":"NAME","fields":[{"name":"a","type":"text","pattern":"("}]}""", "fields.0.pattern" },
        { "number min over max", """{"name":"NAME","fields":[{"name":"a","type":"number","min":5,"max":2}]}""", "fields.0.max" },
        { "select without values", """{"name":"NAME","fields":[{"name":"a","type":"select"}]}""", "fields.0.values" },
        { "select maxSelect", """{"name":"NAME","fields":[{"name":"a","type":"select","values":["x"],"maxSelect":3}]}""", "fields.0.maxSelect" },
        { "relation missing", """{"name":"NAME","fields":[{"name":"a","type":"relation","collectionId":"nope"}]}""", "fields.0.collectionId" },
        { "relation blank", """{"name":"NAME","fields":[{"name":"a","type":"relation"}]}""", "fields.0.collectionId" },
        { "json maxSize negative", """{"name":"NAME","fields":[{"name":"a","type":"json","maxSize":-1}]}""", "fields.0.maxSize" },
        { "password max", """{"name":"NAME","fields":[{"name":"a","type":"password","max":100}]}""", "fields.0.max" },
        { "autodate neither", """{"name":"NAME","fields":[{"name":"a","type":"autodate"}]}""", "fields.0.onCreate" },
        { "file thumbs", """{"name":"NAME","fields":[{"name":"a","type":"file","thumbs":["big"]}]}""", "fields.0.thumbs" },
        { "option wrong type", """{"name":"NAME","fields":[{"name":"a","type":"text","required":"yes"}]}""", "fields.0.required" },
        { "bad rule", """{"name":"NAME","listRule":"title ="}""", "listRule" },
        { "rule unknown field", """{"name":"NAME","viewRule":"nosuch = 1"}""", "viewRule" },
        { "index injection", """{"name":"NAME","indexes":["CREATE INDEX x ON t (id); DROP TABLE _collections"]}""", "indexes.0" },
        { "index where injection", """{"name":"NAME","indexes":["CREATE INDEX `idx_NAME` ON t (id) WHERE 1=1; DROP TABLE _collections"]}""", "indexes.0" },
        { "index unknown column", """{"name":"NAME","indexes":["CREATE INDEX `idx_NAME` ON t (nosuch)"]}""", "indexes.0" },
        { "index bad name", """{"name":"NAME","indexes":["CREATE INDEX `a b` ON t (id)"]}""", "indexes.0" },
        { "auth reserved", """{"name":"NAME","type":"auth","fields":[{"name":"passwordConfirm","type":"text"}]}""", "fields.0.name" },
        { "auth email wrong type", """{"name":"NAME","type":"auth","fields":[{"name":"email","type":"text"}]}""", "fields.0.type" },
        { "auth duration", """{"name":"NAME","type":"auth","authToken":{"duration":1}}""", "authToken.duration" },
        { "auth manageRule empty", """{"name":"NAME","type":"auth","manageRule":""}""", "manageRule" },
        { "view without query", """{"name":"NAME","type":"view"}""", "viewQuery" },
        { "view star", """{"name":"NAME","type":"view","viewQuery":"SELECT * FROM _superusers"}""", "viewQuery" },
        { "view two statements", """{"name":"NAME","type":"view","viewQuery":"SELECT id FROM _superusers; DROP TABLE _collections"}""", "viewQuery" },
        { "view delete", """{"name":"NAME","type":"view","viewQuery":"DELETE FROM _collections"}""", "viewQuery" },
        { "view no id", """{"name":"NAME","type":"view","viewQuery":"SELECT email FROM _superusers"}""", "viewQuery" },
        { "view missing table", """{"name":"NAME","type":"view","viewQuery":"SELECT id FROM no_such_table_x"}""", "viewQuery" },
        { "view create rule", """{"name":"NAME","type":"view","viewQuery":"SELECT id FROM _superusers","createRule":""}""", "createRule" },
    };

    [Theory]
    [MemberData(nameof(BadCreates))]
    public async Task Bad_create_gets_400_naming_the_field_and_writes_nothing(string label, string body, string path)
    {
        var name = HttpJson.UniqueName("bad");
        var (status, response) = await Su.PostJsonAsync("/api/collections", body.Replace("NAME", name, StringComparison.Ordinal));
        Assert.True(status == HttpStatusCode.BadRequest, label + ": " + (int)status + " " + response?.ToJsonString());
        Assert.Equal(400, response!["status"]!.GetValue<int>());
        if (path.Length > 0)
        {
            Assert.True(At(response["data"], path) is JsonObject, label + ": " + response.ToJsonString());
        }

        Assert.False(await _db.TableExistsAsync(name));
        Assert.False(await _db.CollectionRowExistsAsync(name));
        Assert.True(await _db.TableExistsAsync("_collections"));
        Assert.True(await _db.TableExistsAsync("_superusers"));
    }

    [Fact]
    public async Task Duplicate_name_is_case_insensitive()
    {
        var name = HttpJson.UniqueName("dup");
        await CreateAsync(new { name });
        var (status, body) = await Su.PostJsonAsync("/api/collections", new { name = name.ToUpperInvariant() });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(body!["data"]!["name"]);
    }

    [Fact]
    public async Task Type_and_system_fields_are_protected_on_update()
    {
        var name = HttpJson.UniqueName("prot");
        await CreateAsync(new { name, type = "auth" });
        var (status, body) = await Su.PatchJsonAsync("/api/collections/" + name, new { type = "base" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Failed to update collection.", body!["message"]!.GetValue<string>());
        Assert.NotNull(body["data"]!["type"]);

        (status, body) = await Su.PatchJsonAsync("/api/collections/_superusers", new { name = "admins", listRule = "" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(body!["data"]!["name"]);

        (status, body) = await Su.PatchJsonAsync("/api/collections/" + name, "{\"fields\":[{\"name\":\"nick\",\"type\":\"text\"}]}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(body!["fields"]!.AsArray(), f => f!["name"]!.GetValue<string>() == "tokenKey");
    }

    [Fact]
    public async Task Changing_a_field_type_or_relation_target_is_refused()
    {
        var target = await CreateAsync(new { name = HttpJson.UniqueName("tgt") });
        var other = await CreateAsync(new { name = HttpJson.UniqueName("oth") });
        var name = HttpJson.UniqueName("chg");
        var created = await CreateAsync(new { name, fields = new object[] { new { name = "n", type = "number" }, new { name = "r", type = "relation", collectionId = target["id"]!.GetValue<string>() } } });
        var fields = created["fields"]!.DeepClone().AsArray();
        fields[1]!["type"] = "text";
        var (status, body) = await Su.PatchJsonAsync("/api/collections/" + name, new JsonObject { ["fields"] = fields });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(At(body!["data"], "fields.1.type"));

        fields = created["fields"]!.DeepClone().AsArray();
        fields[2]!["collectionId"] = other["id"]!.GetValue<string>();
        (status, body) = await Su.PatchJsonAsync("/api/collections/" + name, new JsonObject { ["fields"] = fields });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(At(body!["data"], "fields.2.collectionId"));
    }

    [Fact]
    public async Task View_collection_derives_fields_and_rejects_relations_from_base_collections()
    {
        var source = HttpJson.UniqueName("src");
        await CreateAsync(new { name = source, fields = new object[] { new { name = "title", type = "text" }, new { name = "views", type = "number" }, new { name = "flag", type = "bool" } } });
        await _db.InsertAsync(source, new Dictionary<string, object> { ["id"] = "eeeeeeeeeeeeeee", ["title"] = "hello", ["views"] = 3.0, ["flag"] = true });
        var view = HttpJson.UniqueName("vw");
        var query = $"SELECT s.id, s.title, s.flag AS f, CAST(s.views AS INTEGER) AS v, (s.title || '!') AS loud FROM {source} s";
        var created = await CreateAsync(new { name = view, type = "view", listRule = "", viewQuery = query });
        Assert.Equal(["id:text", "title:text", "f:bool", "v:number", "loud:json"], created["fields"]!.AsArray().Select(f => f!["name"] + ":" + f["type"]));
        Assert.Null(created["createRule"]);
        Assert.Equal(query, created["viewQuery"]!.GetValue<string>());
        Assert.True(await _db.TableExistsAsync(view));

        var (status, body) = await Su.PostJsonAsync("/api/collections", new { name = HttpJson.UniqueName("rel"), fields = new[] { new { name = "v", type = "relation", collectionId = created["id"]!.GetValue<string>() } } });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(At(body!["data"], "fields.0.collectionId"));

        (status, _) = await Su.DeleteJsonAsync("/api/collections/" + source);
        Assert.Equal(HttpStatusCode.BadRequest, status);

        (status, body) = await Su.DeleteJsonAsync($"/api/collections/{view}/truncate");
        Assert.Equal(HttpStatusCode.BadRequest, status);

        (status, body) = await Su.PatchJsonAsync("/api/collections/" + view, new { viewQuery = $"SELECT id, views FROM {source}" });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        Assert.Equal(["id:text", "views:number"], body!["fields"]!.AsArray().Select(f => f!["name"] + ":" + f["type"]));

        (status, _) = await Su.DeleteJsonAsync("/api/collections/" + view);
        Assert.Equal(HttpStatusCode.NoContent, status);
        Assert.False(await _db.TableExistsAsync(view));
    }

    [Fact]
    public async Task Dry_run_view_returns_fields_and_sample_without_saving()
    {
        var source = HttpJson.UniqueName("dry");
        await CreateAsync(new { name = source, fields = new[] { new { name = "title", type = "text" } } });
        await _db.InsertAsync(source, new Dictionary<string, object> { ["id"] = "fffffffffffffff", ["title"] = "t1" });
        var (status, body) = await Su.PostJsonAsync("/api/collections/meta/dry-run-view", new { query = $"SELECT id, title FROM {source}" });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        Assert.Equal(2, body!["fields"]!.AsArray().Count);
        Assert.Equal("t1", body["sample"]![0]!["title"]!.GetValue<string>());

        (status, body) = await Su.PostJsonAsync("/api/collections/meta/dry-run-view", new { query = $"SELECT id FROM {source}; DROP TABLE {source}" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(body!["data"]!["query"]);
        Assert.True(await _db.TableExistsAsync(source));
    }

    private async Task<JsonNode> CreateAsync(object body)
    {
        var (status, created) = await Su.PostJsonAsync("/api/collections", body);
        Assert.True(status == HttpStatusCode.OK, created?.ToJsonString());
        return created!;
    }

    private static JsonNode? At(JsonNode? node, string path)
    {
        foreach (var segment in path.Split('.'))
        {
            node = (node as JsonObject)?[segment];
        }

        return node;
    }
}

public sealed class CollectionsValidationSqliteTests(SqliteServerFixture f) : CollectionsValidationTests(f), IClassFixture<SqliteServerFixture>;

public sealed class CollectionsValidationPostgresTests(PostgresServerFixture f) : CollectionsValidationTests(f), IClassFixture<PostgresServerFixture>;
