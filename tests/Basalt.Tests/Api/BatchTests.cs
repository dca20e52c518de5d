using System.Net;
using System.Text.Json.Nodes;
using Basalt.Tests.Fixtures;
using Basalt.Tests.Records;

namespace Basalt.Tests.Api;

/// <summary>
/// <c>POST /api/batch</c> (§10): sub-requests in one transaction, each under its own rules against the state the
/// earlier ones left; one <c>{status, body}</c> each, or a 400 naming the failing index with nothing applied.
/// </summary>
public abstract partial class BatchTests(BasaltServerFixture fixture) : RecordsTestBase(fixture)
{
    private const string TitleField = """[{"name":"title","type":"text","required":true}]""";

    [Fact]
    public async Task A_disabled_batch_is_refused_with_403()
    {
        await SetBatchAsync(enabled: false);

        var (status, body) = await Superuser.PostJsonAsync("/api/batch", new { requests = new[] { Create("anything", new { }) } });

        AssertError(HttpStatusCode.Forbidden, (status, body));
        Assert.Equal("Batch requests are not allowed.", body!["message"]!.GetValue<string>());
        Assert.Empty(body["data"]!.AsObject());
    }

    [Fact]
    public async Task Mixed_create_update_upsert_and_delete_answer_one_status_and_body_each_in_order()
    {
        await SetBatchAsync();
        var name = HttpJson.UniqueName("batch");
        await CreateCollectionAsync(name, TitleField);
        var updated = await CreateRecordAsync(name, new { title = "before" });
        var upserted = await CreateRecordAsync(name, new { title = "before upsert" });
        var deleted = await CreateRecordAsync(name, new { title = "to delete" });
        var newId = "upsertnew000001";

        var (status, body) = await Superuser.PostJsonAsync("/api/batch", new
        {
            requests = new object[]
            {
                Create(name, new { title = "created" }, "fields=id,title"),
                new { method = "PATCH", url = Records(name, Id(updated)), body = new { title = "after" } },
                new { method = "PUT", url = Records(name), body = new { id = Id(upserted), title = "after upsert" } },
                new { method = "PUT", url = Records(name) + "?fields=id", body = new { id = newId, title = "upsert created" } },
                new { method = "PUT", url = Records(name), body = new { title = "upsert without id" } },
                new { method = "DELETE", url = Records(name, Id(deleted)) },
            },
        });

        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        var results = body!.AsArray();
        Assert.Equal(6, results.Count);
        Assert.Equal([200, 200, 200, 200, 200, 204], results.Select(r => r!["status"]!.GetValue<int>()));
        var created = results[0]!["body"]!.AsObject();
        Assert.Equal(["id", "title"], created.Select(p => p.Key).Order());
        Assert.Equal("created", created["title"]!.GetValue<string>());
        Assert.Equal("after", results[1]!["body"]!["title"]!.GetValue<string>());
        Assert.Equal(Id(upserted), results[2]!["body"]!["id"]!.GetValue<string>());
        Assert.Equal("after upsert", results[2]!["body"]!["title"]!.GetValue<string>());
        Assert.Equal("""{"id":"upsertnew000001"}""", results[3]!["body"]!.ToJsonString());
        Assert.Equal("upsert without id", results[4]!["body"]!["title"]!.GetValue<string>());
        Assert.Null(results[5]!["body"]);

        Assert.Equal("after", (await ViewAsync(name, Id(updated)))["title"]!.GetValue<string>());
        Assert.Equal("after upsert", (await ViewAsync(name, Id(upserted)))["title"]!.GetValue<string>());
        Assert.Equal("upsert created", (await ViewAsync(name, newId))["title"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await Superuser.GetJsonAsync(Records(name, Id(deleted)))).Status);
        Assert.Equal(5, await CountAsync(name));
    }

    [Fact]
    public async Task Each_rule_sees_what_the_earlier_requests_of_the_batch_wrote()
    {
        await SetBatchAsync();
        var gate = HttpJson.UniqueName("gate");
        var guarded = HttpJson.UniqueName("guarded");
        await CreateCollectionAsync(gate, """[{"name":"key","type":"text"}]""");
        await CreateCollectionAsync(guarded, """[{"name":"key","type":"text"}]""", $$"""{"createRule":"@collection.{{gate}}.key ?= @request.body.key"}""");
        var gateRecord = new { id = "gaterecord00001", key = "open-sesame" };

        var alone = await Guest.PostJsonAsync("/api/batch", new { requests = new[] { Create(guarded, new { key = "open-sesame" }) } });
        var together = await Guest.PostJsonAsync("/api/batch", new
        {
            requests = new object[]
            {
                Create(gate, gateRecord),
                new { method = "PATCH", url = Records(gate, gateRecord.id), body = new { key = "open-sesame-2" } },
                Create(guarded, new { key = "open-sesame-2" }),
            },
        });

        AssertFailedAt(0, alone, 400);
        Assert.True(together.Status == HttpStatusCode.OK, together.Body?.ToJsonString());
        Assert.Equal("open-sesame-2", together.Body![2]!["body"]!["key"]!.GetValue<string>());
        Assert.Equal(1, await CountAsync(guarded));
    }

    [Fact]
    public async Task Expand_and_fields_apply_per_request_and_see_the_batch_own_writes()
    {
        await SetBatchAsync();
        var parents = HttpJson.UniqueName("parents");
        var children = HttpJson.UniqueName("children");
        var parentsId = (await CreateCollectionAsync(parents, """[{"name":"name","type":"text"}]"""))["id"]!.GetValue<string>();
        await CreateCollectionAsync(children, $$"""[{"name":"parent","type":"relation","collectionId":"{{parentsId}}","maxSelect":1}]""");

        var (status, body) = await Superuser.PostJsonAsync("/api/batch", new
        {
            requests = new object[]
            {
                Create(parents, new { id = "parentrecord001", name = "mum" }, "fields=id"),
                Create(children, new { parent = "parentrecord001" }, "expand=parent&fields=parent,expand.parent.name"),
            },
        });

        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        Assert.Equal("""{"id":"parentrecord001"}""", body![0]!["body"]!.ToJsonString());
        Assert.Equal("""{"expand":{"parent":{"name":"mum"}},"parent":"parentrecord001"}""", Sorted(body[1]!["body"]!));
    }

    [Fact]
    public async Task A_failure_at_index_N_is_a_400_naming_N_and_applies_nothing()
    {
        await SetBatchAsync();
        var name = HttpJson.UniqueName("batch");
        await CreateCollectionAsync(name, TitleField);
        var kept = await CreateRecordAsync(name, new { title = "kept" });
        var notDeleted = await CreateRecordAsync(name, new { title = "not deleted" });

        var response = await Superuser.PostJsonAsync("/api/batch", new
        {
            requests = new object[]
            {
                Create(name, new { title = "one" }),
                new { method = "PATCH", url = Records(name, Id(kept)), body = new { title = "changed" } },
                new { method = "DELETE", url = Records(name, Id(notDeleted)) },
                Create(name, new { title = "" }),
                Create(name, new { title = "never reached" }),
            },
        });

        var failure = AssertFailedAt(3, response, 400);
        Assert.Equal("Failed to create record.", failure["message"]!.GetValue<string>());
        Assert.Equal("validation_required", failure["data"]!["title"]!["code"]!.GetValue<string>());
        Assert.Equal(2, await CountAsync(name));
        Assert.Equal("kept", (await ViewAsync(name, Id(kept)))["title"]!.GetValue<string>());
        Assert.Equal("not deleted", (await ViewAsync(name, Id(notDeleted)))["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_unique_conflict_with_an_earlier_request_fails_the_batch_with_its_field()
    {
        await SetBatchAsync();
        var name = HttpJson.UniqueName("batch");
        await CreateCollectionAsync(name, TitleField, extra: $$"""{"indexes":["CREATE UNIQUE INDEX idx_{{name}} ON {{name}} (title)"]}""");

        var response = await Superuser.PostJsonAsync("/api/batch", new
        {
            requests = new object[] { Create(name, new { title = "same" }), Create(name, new { title = "same" }) },
        });

        var failure = AssertFailedAt(1, response, 400);
        Assert.Equal("validation_not_unique", failure["data"]!["title"]!["code"]!.GetValue<string>());
        Assert.Equal(0, await CountAsync(name));
    }

    [Fact]
    public async Task A_request_of_a_locked_collection_fails_with_its_own_status()
    {
        await SetBatchAsync();
        var name = HttpJson.UniqueName("batch");
        await CreateCollectionAsync(name, TitleField, """{"createRule":null}""");

        var response = await Guest.PostJsonAsync("/api/batch", new { requests = new[] { Create(name, new { title = "x" }) } });

        AssertFailedAt(0, response, 403);
    }

    [Fact]
    public async Task An_unknown_action_fails_the_batch_at_its_index()
    {
        await SetBatchAsync();
        var name = HttpJson.UniqueName("batch");
        await CreateCollectionAsync(name, TitleField);

        var response = await Superuser.PostJsonAsync("/api/batch", new
        {
            requests = new object[] { Create(name, new { title = "one" }), new { method = "GET", url = "/api/health" } },
        });

        var failure = AssertFailedAt(1, response, 400);
        Assert.Equal("Unknown batch request action.", failure["message"]!.GetValue<string>());
        Assert.Equal(0, await CountAsync(name));
    }

    /// <summary>Sets every batch setting (PocketBase's defaults, enabled, unless given), so no test sees another's.</summary>
    private async Task SetBatchAsync(bool enabled = true, int maxRequests = 50, int timeout = 3, long maxBodySize = 0)
    {
        var (status, body) = await Superuser.PatchJsonAsync("/api/settings", new { batch = new { enabled, maxRequests, timeout, maxBodySize } });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
    }

    private static object Create(string collection, object body, string? query = null) =>
        new { method = "POST", url = Records(collection, query: query), body };

    private static string Id(JsonObject record) => record["id"]!.GetValue<string>();

    private static string Sorted(JsonNode node) => node switch
    {
        JsonObject o => "{" + string.Join(",", o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"\"{p.Key}\":{(p.Value is null ? "null" : Sorted(p.Value))}")) + "}",
        _ => node.ToJsonString(),
    };

    /// <summary>Checks the batch envelope of a failure at <paramref name="index"/> and returns that request's own envelope.</summary>
    private static JsonObject AssertFailedAt(int index, (HttpStatusCode Status, JsonNode? Body) response, int innerStatus)
    {
        var text = response.Body?.ToJsonString();
        Assert.True(response.Status == HttpStatusCode.BadRequest, text);
        Assert.Equal("Batch transaction failed.", response.Body!["message"]!.GetValue<string>());
        var requests = response.Body["data"]!["requests"]!.AsObject();
        Assert.Equal([index.ToString(System.Globalization.CultureInfo.InvariantCulture)], requests.Select(p => p.Key));
        var item = requests[index.ToString(System.Globalization.CultureInfo.InvariantCulture)]!;
        Assert.Equal("batch_request_failed", item["code"]!.GetValue<string>());
        Assert.Equal("Batch request failed.", item["message"]!.GetValue<string>());
        var inner = item["response"]!.AsObject();
        Assert.Equal(innerStatus, inner["status"]!.GetValue<int>());
        Assert.IsType<JsonObject>(inner["data"]);
        return inner;
    }
}

public sealed class BatchSqliteTests(SqliteServerFixture f) : BatchTests(f), IClassFixture<SqliteServerFixture>;

public sealed class BatchPostgresTests(PostgresServerFixture f) : BatchTests(f), IClassFixture<PostgresServerFixture>;
