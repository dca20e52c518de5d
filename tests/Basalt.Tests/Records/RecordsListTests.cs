using System.Net;
using System.Text.Json.Nodes;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Records;

/// <summary>Paging, skipTotal, sort, filter and <c>?fields=</c> on the list and view endpoints.</summary>
public abstract class RecordsListTests(BasaltServerFixture fixture) : RecordsTestBase(fixture)
{
    private async Task<string> SeedAsync(int count)
    {
        var name = HttpJson.UniqueName("items");
        await CreateCollectionAsync(name, """[{"name":"title","type":"text"},{"name":"rank","type":"number"},{"name":"group","type":"text"},{"name":"body","type":"editor"}]""");
        for (var i = 0; i < count; i++)
        {
            await CreateRecordAsync(name, new { title = $"item {i:D2}", rank = i % 3, group = i % 2 == 0 ? "even" : "odd", body = $"<p>Body of <b>item</b> {i}</p>" });
        }

        return name;
    }

    private static List<string> Titles(JsonNode list) => list["items"]!.AsArray().Select(i => i!["title"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task Paging_defaults_clamps_and_counts()
    {
        var name = await SeedAsync(5);
        var (_, all) = await Guest.GetJsonAsync(Records(name));
        Assert.Equal(1, all!["page"]!.GetValue<int>());
        Assert.Equal(30, all["perPage"]!.GetValue<int>());
        Assert.Equal(5, all["totalItems"]!.GetValue<int>());
        Assert.Equal(1, all["totalPages"]!.GetValue<int>());
        Assert.Equal(5, all["items"]!.AsArray().Count);

        var (_, page2) = await Guest.GetJsonAsync(Records(name, query: "page=2&perPage=2&sort=title"));
        Assert.Equal(["item 02", "item 03"], Titles(page2!));
        Assert.Equal(3, page2!["totalPages"]!.GetValue<int>());

        var (_, clamped) = await Guest.GetJsonAsync(Records(name, query: "perPage=5000&page=0"));
        Assert.Equal(1000, clamped!["perPage"]!.GetValue<int>());
        Assert.Equal(1, clamped["page"]!.GetValue<int>());

        var (_, skipped) = await Guest.GetJsonAsync(Records(name, query: "skipTotal=1&perPage=2"));
        Assert.Equal(-1, skipped!["totalItems"]!.GetValue<int>());
        Assert.Equal(-1, skipped["totalPages"]!.GetValue<int>());
        Assert.Equal(2, skipped["items"]!.AsArray().Count);

        var (_, beyond) = await Guest.GetJsonAsync(Records(name, query: "page=99"));
        Assert.Empty(beyond!["items"]!.AsArray());

        AssertError(HttpStatusCode.BadRequest, await Guest.GetJsonAsync(Records(name, query: "page=abc")), "page");
        AssertError(HttpStatusCode.BadRequest, await Guest.GetJsonAsync(Records(name, query: "perPage=1.5")), "perPage");
    }

    [Fact]
    public async Task Sort_by_several_keys_descending_and_random()
    {
        var name = await SeedAsync(6);
        var (status, sorted) = await Guest.GetJsonAsync(Records(name, query: "sort=-rank,title"));
        Assert.True(status == HttpStatusCode.OK, sorted?.ToJsonString());
        Assert.Equal(["item 02", "item 05", "item 01", "item 04", "item 00", "item 03"], Titles(sorted!));

        var (_, desc) = await Guest.GetJsonAsync(Records(name, query: "sort=-title"));
        Assert.Equal("item 05", Titles(desc!)[0]);

        var (randomStatus, random) = await Guest.GetJsonAsync(Records(name, query: "sort=@random"));
        Assert.Equal(HttpStatusCode.OK, randomStatus);
        Assert.Equal(6, random!["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task Filter_narrows_the_list_and_the_count()
    {
        var name = await SeedAsync(6);
        var (status, list) = await Guest.GetJsonAsync(Records(name, query: "filter=" + Uri.EscapeDataString("group = 'even' && rank > 0") + "&sort=title"));
        Assert.True(status == HttpStatusCode.OK, list?.ToJsonString());
        Assert.Equal(["item 02", "item 04"], Titles(list!));
        Assert.Equal(2, list!["totalItems"]!.GetValue<int>());

        var (_, like) = await Guest.GetJsonAsync(Records(name, query: "filter=" + Uri.EscapeDataString("title ~ '05'")));
        Assert.Equal(["item 05"], Titles(like!));
    }

    [Fact]
    public async Task Fields_pick_keys_inside_items_and_excerpt_text()
    {
        var name = await SeedAsync(2);
        var (_, list) = await Guest.GetJsonAsync(Records(name, query: "sort=title&fields=" + Uri.EscapeDataString("id,body:excerpt(12,true)")));
        Assert.Equal(30, list!["perPage"]!.GetValue<int>());
        var first = list["items"]![0]!.AsObject();
        Assert.Equal(["body", "id"], first.Select(p => p.Key).Order());
        Assert.Equal("Body of item...", first["body"]!.GetValue<string>());

        var id = first["id"]!.GetValue<string>();
        var (_, view) = await Guest.GetJsonAsync(Records(name, id, "fields=" + Uri.EscapeDataString("*,body:excerpt(4)")));
        Assert.Equal("Body", view!["body"]!.GetValue<string>());
        Assert.Equal("item 00", view["title"]!.GetValue<string>());
        Assert.Equal(name, view["collectionName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Head_answers_like_get_without_a_body()
    {
        var name = await SeedAsync(1);
        using var request = new HttpRequestMessage(HttpMethod.Head, Records(name));
        using var response = await Guest.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }
}

public sealed class RecordsListSqliteTests(SqliteServerFixture f) : RecordsListTests(f), IClassFixture<SqliteServerFixture>;

public sealed class RecordsListPostgresTests(PostgresServerFixture f) : RecordsListTests(f), IClassFixture<PostgresServerFixture>;
