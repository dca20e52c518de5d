using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Basalt.Client;
using Basalt.Client.Records;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Client;

/// <summary>Records through the .NET client: CRUD as JSON and as a typed model, and every list option.</summary>
public abstract class ClientRecordsTests(BasaltServerFixture server)
{
    [Fact]
    public async Task Create_view_update_delete_round_trip_as_json()
    {
        await using var admin = await ClientKit.SuperuserAsync(server);
        var name = await ClientKit.CreatePostsAsync(admin);
        await using var guest = ClientKit.Guest(server);
        var posts = guest.Collection(name);

        var created = await posts.CreateAsync(new JsonObject { ["title"] = "first", ["views"] = 3, ["tags"] = new JsonArray("a", "b"), ["meta"] = new JsonObject { ["k"] = 1 } });
        var id = ClientKit.Id(created);
        var viewed = await posts.GetOneAsync(id);
        var updated = await posts.UpdateAsync(id, new JsonObject { ["views+"] = 2, ["tags-"] = "a" });
        await posts.DeleteAsync(id);
        var gone = await Assert.ThrowsAsync<ClientResponseException>(() => posts.GetOneAsync(id));

        Assert.Equal(name, created["collectionName"]!.GetValue<string>());
        Assert.Equal("first", viewed["title"]!.GetValue<string>());
        Assert.Equal(1, viewed["meta"]!["k"]!.GetValue<int>());
        Assert.Equal(5, updated["views"]!.GetValue<double>());
        Assert.Equal(["b"], updated["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(404, gone.Status);
    }

    [Fact]
    public async Task Typed_records_read_and_write_through_a_source_generated_context()
    {
        await using var admin = await ClientKit.SuperuserAsync(server);
        var name = await ClientKit.CreatePostsAsync(admin);
        var posts = admin.Collection(name).As(ClientTestJson.Default.Post);

        var created = await posts.CreateAsync(new Post { Title = "typed", Views = 7, Tags = ["c"] });
        created.Views = 8;
        var updated = await posts.UpdateAsync(created.Id!, created);
        var list = await posts.GetListAsync(new ListOptions { Filter = "views = 8" });
        var first = await posts.GetFirstListItemAsync("title = 'typed'");

        Assert.Equal(15, created.Id!.Length);
        Assert.Equal(name, created.CollectionName);
        Assert.Equal(["c"], created.Tags);
        Assert.Equal(8, updated.Views);
        Assert.Equal(created.Id, updated.Id);
        Assert.Equal("typed", Assert.Single(list.Items).Title);
        Assert.Equal(created.Id, first.Id);
    }

    [Fact]
    public async Task List_options_page_sort_filter_fields_expand_and_skip_total()
    {
        await using var admin = await ClientKit.SuperuserAsync(server);
        var name = await ClientKit.CreatePostsAsync(admin);
        var owner = await admin.Collection("users").CreateAsync(new JsonObject
        {
            ["email"] = HttpJson.UniqueName("owner") + "@example.com",
            ["password"] = "owner-password-1",
            ["passwordConfirm"] = "owner-password-1",
            ["name"] = "Ana",
        });
        var posts = admin.Collection(name);
        for (var i = 1; i <= 5; i++)
        {
            await posts.CreateAsync(new JsonObject { ["title"] = "p" + i, ["views"] = i, ["owner"] = ClientKit.Id(owner) });
        }

        var page = await posts.GetListAsync(2, 2, new ListOptions { Sort = "-views", Filter = "views >= 1", Expand = "owner", Fields = "title,expand.owner.name" });
        var skipped = await posts.GetListAsync(new ListOptions { PerPage = 2, SkipTotal = true });
        var all = await posts.GetFullListAsync(new ListOptions { Sort = "views" }, batchSize: 2);
        var none = await Assert.ThrowsAsync<ClientResponseException>(() => posts.GetFirstListItemAsync("views > 100"));

        Assert.Equal((2, 2, 5, 3), (page.Page, page.PerPage, page.TotalItems, page.TotalPages));
        Assert.Equal(["p3", "p2"], page.Items.Select(r => r["title"]!.GetValue<string>()));
        Assert.Equal("Ana", page.Items[0]["expand"]!["owner"]!["name"]!.GetValue<string>());
        Assert.Null(page.Items[0]["views"]);
        Assert.Equal((-1, -1), (skipped.TotalItems, skipped.TotalPages));
        Assert.Equal(["p1", "p2", "p3", "p4", "p5"], all.Select(r => r["title"]!.GetValue<string>()));
        Assert.Equal(404, none.Status);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("it's")]
    [InlineData("say \"hi\"")]
    [InlineData("both ' and \"")]
    [InlineData("back\\slash")]
    [InlineData("two \\\\ slashes")]
    [InlineData("slash before quote \\' here")]
    [InlineData("' || id != '' //")]
    [InlineData("\\' || id != \"\" //")]
    [InlineData("{:other} stays text")]
    [InlineData("100% _match_")]
    public async Task Filter_format_binds_hostile_text_so_it_matches_only_itself(string title)
    {
        await using var admin = await ClientKit.SuperuserAsync(server);
        var name = await ClientKit.CreatePostsAsync(admin);
        var posts = admin.Collection(name);
        var target = await posts.CreateAsync(new JsonObject { ["title"] = title });
        await posts.CreateAsync(new JsonObject { ["title"] = "decoy" });

        var filter = BasaltClient.Filter("title = {:title} && views = {:views} && done = {:done}", new Dictionary<string, object?>
        {
            ["title"] = title,
            ["views"] = 0,
            ["done"] = false,
            ["other"] = "x",
        });
        var found = await posts.GetListAsync(new ListOptions { Filter = filter });

        Assert.Equal(ClientKit.Id(target), ClientKit.Id(Assert.Single(found.Items)));
    }

    [Fact]
    public async Task Filter_format_writes_dates_numbers_null_and_json()
    {
        await using var admin = await ClientKit.SuperuserAsync(server);
        var name = await ClientKit.CreatePostsAsync(admin);
        var posts = admin.Collection(name);
        var record = await posts.CreateAsync(new JsonObject { ["title"] = "dated", ["views"] = 2.5 });
        var created = DateTimeOffset.Parse(record["created"]!.GetValue<string>().Replace(' ', 'T'), System.Globalization.CultureInfo.InvariantCulture);

        var filter = Filter.Format("created >= {:from} && views = {:views} && owner = {:none}", new Dictionary<string, object?>
        {
            ["from"] = created.AddSeconds(-1),
            ["views"] = 2.5,
            ["none"] = null,
        });
        var found = await posts.GetListAsync(new ListOptions { Filter = filter });

        Assert.Single(found.Items);
        Assert.Equal("'[1,\"a\"]'", Filter.Literal(new JsonArray(1, "a")));
        Assert.Throws<ArgumentException>(() => Filter.Quote("ends with \\"));
        Assert.Throws<ArgumentException>(() => Filter.Format("title = {:missing}", new Dictionary<string, object?>()));
    }
}

/// <summary>A typed record of the posts collection the client tests make.</summary>
public sealed class Post : RecordModel
{
    [JsonPropertyName("title")]
    public string Title { get; set; } = "";

    [JsonPropertyName("views")]
    public double Views { get; set; }

    [JsonPropertyName("tags")]
    public List<string> Tags { get; set; } = [];
}

/// <summary>The source-generated JSON metadata of the test's record types, as an app would declare it.</summary>
[JsonSerializable(typeof(Post))]
internal sealed partial class ClientTestJson : JsonSerializerContext;

public sealed class ClientRecordsSqliteTests(SqliteServerFixture f) : ClientRecordsTests(f), IClassFixture<SqliteServerFixture>;

public sealed class ClientRecordsPostgresTests(PostgresServerFixture f) : ClientRecordsTests(f), IClassFixture<PostgresServerFixture>;
