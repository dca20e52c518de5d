using System.Net;
using System.Text.Json.Nodes;
using Basalt.Api;
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

    }

    [Theory]
    [InlineData("page=abc")]
    [InlineData("perPage=1.5")]
    [InlineData("page=%201")]
    [InlineData("skipTotal=abc")]
    [InlineData("skipTotal=yes")]
    public async Task Unparsable_paging_is_a_generic_400_with_empty_data(string query)
    {
        var name = await SeedAsync(1);
        var (status, body) = await Guest.GetJsonAsync(Records(name, query: query));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Something went wrong while processing your request.", body!["message"]!.GetValue<string>());
        Assert.Empty(body["data"]!.AsObject());
    }

    [Theory]
    [InlineData("skipTotal=T", -1)]
    [InlineData("skipTotal=False", 1)]
    [InlineData("skipTotal=0", 1)]
    [InlineData("page=%2B1", 1)]
    public async Task Paging_values_go_parses_are_accepted(string query, int totalItems)
    {
        var name = await SeedAsync(1);
        var (status, body) = await Guest.GetJsonAsync(Records(name, query: query));
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        Assert.Equal(totalItems, body!["totalItems"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("x'; DROP TABLE y; --")]
    [InlineData("author!")]
    [InlineData("a-b")]
    [InlineData("ä")]
    [InlineData(",,.")]
    public async Task Expand_that_cannot_name_a_relation_is_ignored(string expand)
    {
        var name = await SeedAsync(1);
        var (status, body) = await Guest.GetJsonAsync(Records(name, query: "expand=" + Uri.EscapeDataString(expand)));
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        var item = body!["items"]![0]!.AsObject();
        Assert.False(item.ContainsKey("expand"), item.ToJsonString());
        var (viewStatus, view) = await Guest.GetJsonAsync(Records(name, item["id"]!.GetValue<string>(), "expand=" + Uri.EscapeDataString(expand)));
        Assert.True(viewStatus == HttpStatusCode.OK, view?.ToJsonString());
        Assert.False(view!.AsObject().ContainsKey("expand"));
    }

    [Fact]
    public async Task Expand_keeps_the_usable_paths_of_a_list_with_unusable_ones()
    {
        var authors = HttpJson.UniqueName("authors");
        var authorsId = (await CreateCollectionAsync(authors, """[{"name":"name","type":"text"}]"""))["id"]!.GetValue<string>();
        var books = HttpJson.UniqueName("books");
        await CreateCollectionAsync(books, $$"""[{"name":"author","type":"relation","collectionId":"{{authorsId}}","maxSelect":1}]""");
        var author = await CreateRecordAsync(authors, new { name = "Ann" });
        await CreateRecordAsync(books, new { author = author["id"]!.GetValue<string>() });
        var (status, body) = await Guest.GetJsonAsync(Records(books, query: "expand=" + Uri.EscapeDataString("no pe!,au thor")));
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        Assert.Equal("Ann", body!["items"]![0]!["expand"]!["author"]!["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("filter=" + "%40request.auth.id%3D%27%27", "@request.")]
    [InlineData("filter=" + "title%3D%27%40collection.x%27%20%26%26%20%40request.method%3D%27%27", "@collection.")]
    [InlineData("sort=" + "%40collection.x.y", "@collection.")]
    [InlineData("filter=" + "title%3D%27%40request.%27&sort=%40collection.x", "@request.")]
    [InlineData("filter=" + "title%20%3D%20(&sort=%40request.auth.id", "@request.")]
    public async Task Non_superuser_filter_or_sort_with_request_or_collection_is_403_naming_the_first_found(string query, string named)
    {
        var name = await SeedAsync(1);
        var (status, body) = await Guest.GetJsonAsync(Records(name, query: query));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("Only superusers can filter by " + named, body!["message"]!.GetValue<string>());
        Assert.Empty(body["data"]!.AsObject());
    }

    [Fact]
    public async Task Empty_filtered_list_for_a_guest_still_answers_200_with_no_items()
    {
        var name = HttpJson.UniqueName("guarded");
        await CreateCollectionAsync(name, """[{"name":"title","type":"text"}]""", """{"listRule":"title != 'secret'"}""");
        await CreateRecordAsync(name, new { title = "open" });
        for (var i = 0; i < ListTimingThrottle.MaxEmptyLists + 2; i++)
        {
            var (status, body) = await Guest.GetJsonAsync(Records(name, query: "filter=" + Uri.EscapeDataString("title = 'nothing'")));
            Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
            Assert.Empty(body!["items"]!.AsArray());
            Assert.Equal(0, body["totalItems"]!.GetValue<int>());
        }
    }

    [Fact]
    public async Task Multi_values_compare_as_the_same_compact_json_text_on_every_database()
    {
        var name = HttpJson.UniqueName("tagged");
        await CreateCollectionAsync(name, """
            [{"name":"title","type":"text"},
             {"name":"tags","type":"select","maxSelect":5,"values":["café","say \"hi\"","back\\slash","a<b&c","plain"]}]
            """);
        await CreateRecordAsync(name, new { title = "one", tags = new JsonArray("café", "say \"hi\"") });
        await CreateRecordAsync(name, new { title = "two", tags = new JsonArray("back\\slash", "a<b&c") });
        await CreateRecordAsync(name, new { title = "three", tags = new JsonArray("plain") });
        await CreateRecordAsync(name, new { title = "four" });

        async Task<string> TitlesAsync(string filter)
        {
            var (status, body) = await Guest.GetJsonAsync(Records(name, query: "sort=title&filter=" + Uri.EscapeDataString(filter)));
            Assert.True(status == HttpStatusCode.OK, filter + ": " + body?.ToJsonString());
            return string.Join(',', Titles(body!));
        }

        Assert.Equal("one", await TitlesAsync("""tags = '["café","say \"hi\""]'"""));
        Assert.Equal("two", await TitlesAsync("""tags = '["back\\slash","a<b&c"]'"""));
        Assert.Equal("three", await TitlesAsync("""tags = '["plain"]'"""));
        Assert.Equal("four", await TitlesAsync("tags = '[]'"));
        Assert.Equal("one", await TitlesAsync("tags ~ 'café'"));
        Assert.Equal("one", await TitlesAsync("""tags ~ '","say'"""));
        Assert.Equal("", await TitlesAsync("tags = 'plain'"));
        Assert.Equal("", await TitlesAsync("tags ?= 'plain'"));
        Assert.Equal("three", await TitlesAsync("tags:each ?= 'plain'"));
        Assert.Equal("four,three", await TitlesAsync("tags:each != 'café' && tags:each != 'back\\slash'"));
    }

    [Fact]
    public async Task Guest_sort_by_email_does_not_order_emails_their_owners_hid()
    {
        var users = HttpJson.UniqueName("people");
        await CreateCollectionAsync(users, """[{"name":"name","type":"text"}]""", type: "auth");
        foreach (var (email, visible, label) in new[] { ("c@x.io", true, "n1"), ("z@x.io", false, "n2"), ("b@x.io", true, "n3"), ("y@x.io", false, "n4") })
        {
            await CreateRecordAsync(users, new { email, emailVisibility = visible, name = label, password = "12345678", passwordConfirm = "12345678" });
        }

        async Task<string> NamesAsync(HttpClient client, string sort)
        {
            var (status, body) = await client.GetJsonAsync(Records(users, query: "sort=" + sort));
            Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
            return string.Join(',', body!["items"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()));
        }

        Assert.Equal("n3,n1,n4,n2", await NamesAsync(Superuser, "email"));
        Assert.Equal("n2,n4,n3,n1", await NamesAsync(Guest, "email,name"));
        Assert.Equal("n1,n3,n4,n2", await NamesAsync(Guest, "-email,-name"));
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
