using System.Net;
using System.Text.Json.Nodes;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Records;

/// <summary>
/// Creates right after a collection's columns change type: on PostgreSQL the record insert is a prepared statement kept
/// on each pooled connection, and one prepared against the old table must never run against the new one (PostgreSQL
/// refuses: "cached plan must not change result type").
/// </summary>
public abstract class RecordsSchemaChangeTests(BasaltServerFixture fixture) : RecordsTestBase(fixture)
{
    // Enough creates that every pooled write connection a create used before the change is likely used after it.
    private const int Creates = 12;

    [Fact]
    public async Task Creates_go_on_after_a_single_select_becomes_multiple()
    {
        var name = HttpJson.UniqueName("schemasel");
        var collection = await CreateCollectionAsync(name, """[{"name":"tag","type":"select","values":["a","b"],"maxSelect":1},{"name":"n","type":"number"}]""");
        await CreateManyAsync(name, i => new JsonObject { ["tag"] = "a", ["n"] = i });

        var fields = (JsonArray)collection["fields"]!.DeepClone();
        fields.Single(f => f!["name"]!.GetValue<string>() == "tag")!["maxSelect"] = 2;
        await PatchFieldsAsync(collection, fields);

        await CreateManyAsync(name, i => new JsonObject { ["tag"] = new JsonArray("a", "b"), ["n"] = i });
        var created = await CreateRecordAsync(name, """{"tag":["b"],"n":7}""", Guest);
        Assert.Equal("b", created["tag"]![0]!.GetValue<string>());
        Assert.Equal(2 * Creates + 1, await CountAsync(name));
    }

    [Fact]
    public async Task Creates_go_on_after_a_field_is_replaced_by_one_of_the_same_name_and_another_type()
    {
        var name = HttpJson.UniqueName("schemarep");
        var collection = await CreateCollectionAsync(name, """[{"name":"title","type":"text"},{"name":"n","type":"number"}]""");
        await CreateManyAsync(name, i => new JsonObject { ["title"] = "before", ["n"] = i });

        var fields = new JsonArray(((JsonArray)collection["fields"]!)
            .Where(f => f!["name"]!.GetValue<string>() != "n")
            .Select(f => f!.DeepClone())
            .Append(Json("""{"name":"n","type":"text"}"""))
            .ToArray());
        await PatchFieldsAsync(collection, fields);

        await CreateManyAsync(name, i => new JsonObject { ["title"] = "after", ["n"] = "text " + i });
        var created = await CreateRecordAsync(name, new { title = "last", n = "words" }, Guest);
        Assert.Equal("words", created["n"]!.GetValue<string>());
        Assert.Equal(2 * Creates + 1, await CountAsync(name));
    }

    private async Task CreateManyAsync(string name, Func<int, JsonObject> body)
    {
        // Concurrent, so the creates spread over several pooled connections.
        var answers = await Task.WhenAll(Enumerable.Range(0, Creates).Select(i => Guest.PostJsonAsync(Records(name), body(i).ToJsonString())));
        foreach (var (status, json) in answers)
        {
            Assert.True(status == HttpStatusCode.OK, $"create: {(int)status} {json?.ToJsonString()}");
        }
    }

    private async Task PatchFieldsAsync(JsonObject collection, JsonArray fields)
    {
        var (status, body) = await Superuser.PatchJsonAsync("/api/collections/" + collection["id"]!.GetValue<string>(), new JsonObject { ["fields"] = fields }.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, $"patch fields: {(int)status} {body?.ToJsonString()}");
    }
}

public sealed class RecordsSchemaChangeSqliteTests(SqliteServerFixture f) : RecordsSchemaChangeTests(f), IClassFixture<SqliteServerFixture>;

public sealed class RecordsSchemaChangePostgresTests(PostgresServerFixture f) : RecordsSchemaChangeTests(f), IClassFixture<PostgresServerFixture>;
