using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Basalt.Tests.Fixtures;
using Basalt.Tests.Records;

namespace Basalt.Tests.Storage;

/// <summary>
/// Reads through statements kept prepared between requests (SQLite's reader connections keep them by text): after a
/// field is added, the collection renamed or deleted, the same requests give the new answer or a 404, never a stale row
/// or a 500; concurrent requests running one statement text each get their own rows. Run on PostgreSQL too, where no
/// such cache exists, so both give the same answers.
/// </summary>
public abstract class StatementCacheTests(BasaltServerFixture fixture) : RecordsTestBase(fixture)
{
    // More rounds of concurrent reads than SQLite has reader connections, so each of them has prepared the statements.
    private const int Rounds = 24;

    [Fact]
    public async Task Reads_follow_a_field_added_a_rename_and_a_delete()
    {
        var name = HttpJson.UniqueName("stmtcache");
        var collection = await CreateCollectionAsync(name, """[{"name":"title","type":"text"},{"name":"n","type":"number"}]""");
        var id = collection["id"]!.GetValue<string>();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await CreateRecordAsync(name, new { title = "t" + i, n = i }))["id"]!.GetValue<string>());
        }

        await WarmAsync(name, ids);

        var fields = (JsonArray)collection["fields"]!.DeepClone();
        fields.Add(Json("""{"name":"extra","type":"text"}"""));
        await PatchCollectionAsync(id, new JsonObject { ["fields"] = fields });
        Assert.Equal(HttpStatusCode.OK, (await Superuser.PatchJsonAsync(Records(name, ids[2]), new { extra = "added" })).Status);

        Assert.Equal("added", (await ViewAsync(name, ids[2]))["extra"]!.GetValue<string>());
        Assert.Equal("", (await ViewAsync(name, ids[1]))["extra"]!.GetValue<string>());
        var page = await ListAsync(name, "perPage=30&sort=n");
        Assert.Equal(5, page.Count);
        Assert.All(page, r => Assert.NotNull(r!["extra"]));
        var filtered = await ListAsync(name, "filter=" + Uri.EscapeDataString("extra = 'added' && n >= 0"));
        Assert.Equal(ids[2], Assert.Single(filtered)!["id"]!.GetValue<string>());

        var renamed = HttpJson.UniqueName("stmtrenamed");
        await WarmAsync(name, ids);
        await PatchCollectionAsync(id, new JsonObject { ["name"] = renamed });
        await AssertGoneAsync(name, ids[0]);
        Assert.Equal("added", (await ViewAsync(renamed, ids[2]))["extra"]!.GetValue<string>());
        Assert.Equal(5, (await ListAsync(renamed, "perPage=30&sort=n")).Count);

        await WarmAsync(renamed, ids);
        Assert.Equal(HttpStatusCode.NoContent, (await Superuser.DeleteJsonAsync("/api/collections/" + id)).Status);
        await AssertGoneAsync(renamed, ids[0]);
    }

    [Fact]
    public async Task Concurrent_reads_of_one_statement_each_get_their_own_rows()
    {
        var name = HttpJson.UniqueName("stmtshared");
        await CreateCollectionAsync(name, """[{"name":"n","type":"number"}]""");
        var ids = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            ids.Add((await CreateRecordAsync(name, new { n = i }))["id"]!.GetValue<string>());
        }

        var views = Enumerable.Range(0, 200).Select(async i =>
        {
            var wanted = ids[i % ids.Count];
            var (status, body) = await Guest.GetJsonAsync(Records(name, wanted));
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(wanted, body!["id"]!.GetValue<string>());
        });
        var filters = Enumerable.Range(0, 200).Select(async i =>
        {
            var n = i % ids.Count;
            var (status, body) = await Guest.GetJsonAsync(Records(name, query: "filter=" + Uri.EscapeDataString("n = " + n.ToString(CultureInfo.InvariantCulture))));
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(ids[n], Assert.Single((JsonArray)body!["items"]!)!["id"]!.GetValue<string>());
        });
        await Task.WhenAll(views.Concat(filters));
    }

    /// <summary>Runs a get, a page with its count, a sorted page and a filter concurrently, often enough for every reader.</summary>
    private async Task WarmAsync(string name, List<string> ids)
    {
        var reads = Enumerable.Range(0, Rounds).SelectMany(i => new[]
        {
            Records(name, ids[i % ids.Count]),
            Records(name, query: "perPage=30"),
            Records(name, query: "perPage=30&sort=-n"),
            Records(name, query: "filter=" + Uri.EscapeDataString("n >= 0 && title != ''")),
        });
        var answers = await Task.WhenAll(reads.Select(url => Guest.GetJsonAsync(url)));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
    }

    private async Task AssertGoneAsync(string name, string id)
    {
        foreach (var url in new[] { Records(name, id), Records(name, query: "perPage=30"), Records(name, query: "filter=" + Uri.EscapeDataString("n >= 0")) })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await Guest.GetJsonAsync(url)).Status);
        }
    }

    private async Task<JsonArray> ListAsync(string name, string query)
    {
        var (status, body) = await Guest.GetJsonAsync(Records(name, query: query));
        Assert.True(status == HttpStatusCode.OK, $"list {name}?{query}: {(int)status} {body?.ToJsonString()}");
        return (JsonArray)body!["items"]!;
    }

    private async Task PatchCollectionAsync(string id, JsonObject patch)
    {
        var (status, body) = await Superuser.PatchJsonAsync("/api/collections/" + id, patch.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, $"patch collection: {(int)status} {body?.ToJsonString()}");
    }
}

public sealed class StatementCacheSqliteTests(SqliteServerFixture f) : StatementCacheTests(f), IClassFixture<SqliteServerFixture>;

public sealed class StatementCachePostgresTests(PostgresServerFixture f) : StatementCacheTests(f), IClassFixture<PostgresServerFixture>;
