using System.Net;
using System.Text.Json.Nodes;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Records;

/// <summary><c>?expand=</c>: forward relations (single and multiple), nesting, several paths, back-relations and viewRule gating.</summary>
public abstract class RecordsExpandTests(BasaltServerFixture fixture) : RecordsTestBase(fixture)
{
    private sealed record Graph(string Teams, string Users, string Posts, string Comments, string TeamId, string UserId, string User2Id, string PostId);

    private async Task<Graph> SeedAsync(string teamRules = """{"viewRule":""}""", string commentIndexes = "[]")
    {
        var teams = HttpJson.UniqueName("teams");
        var teamsId = (await CreateCollectionAsync(teams, """[{"name":"name","type":"text"}]""", teamRules))["id"]!.GetValue<string>();
        var users = HttpJson.UniqueName("people");
        var usersId = (await CreateCollectionAsync(users, $$"""[{"name":"name","type":"text"},{"name":"team","type":"relation","collectionId":"{{teamsId}}","maxSelect":1}]"""))["id"]!.GetValue<string>();
        var posts = HttpJson.UniqueName("posts");
        var postsId = (await CreateCollectionAsync(posts, $$"""[{"name":"title","type":"text"},{"name":"author","type":"relation","collectionId":"{{usersId}}","maxSelect":1},{"name":"editors","type":"relation","collectionId":"{{usersId}}","maxSelect":5}]"""))["id"]!.GetValue<string>();
        var comments = HttpJson.UniqueName("comments");
        await CreateCollectionAsync(comments, $$"""[{"name":"text","type":"text"},{"name":"post","type":"relation","collectionId":"{{postsId}}","maxSelect":1}]""", extra: $$"""{"indexes":{{commentIndexes.Replace("TABLE", comments, StringComparison.Ordinal)}}}""");

        var team = await CreateRecordAsync(teams, new { name = "core" });
        var user = await CreateRecordAsync(users, new { name = "ann", team = team["id"] });
        var user2 = await CreateRecordAsync(users, new { name = "bob" });
        var post = await CreateRecordAsync(posts, new { title = "p", author = user["id"], editors = new[] { user2["id"]!.GetValue<string>(), user["id"]!.GetValue<string>() } });
        return new Graph(teams, users, posts, comments, team["id"]!.GetValue<string>(), user["id"]!.GetValue<string>(), user2["id"]!.GetValue<string>(), post["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Expands_single_multiple_and_nested_relations()
    {
        var g = await SeedAsync();
        var (status, post) = await Guest.GetJsonAsync(Records(g.Posts, g.PostId, "expand=author.team,editors"));
        Assert.True(status == HttpStatusCode.OK, post?.ToJsonString());
        var expand = post!["expand"]!;
        Assert.Equal("ann", expand["author"]!["name"]!.GetValue<string>());
        Assert.Equal("core", expand["author"]!["expand"]!["team"]!["name"]!.GetValue<string>());
        var editors = expand["editors"]!.AsArray();
        Assert.Equal(["bob", "ann"], editors.Select(e => e!["name"]!.GetValue<string>()));
        Assert.Equal(g.Users, editors[0]!["collectionName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Expand_is_present_only_when_asked_for()
    {
        var g = await SeedAsync();
        var (_, plain) = await Guest.GetJsonAsync(Records(g.Posts, g.PostId));
        Assert.False(plain!.AsObject().ContainsKey("expand"));
        var (_, unknown) = await Guest.GetJsonAsync(Records(g.Posts, g.PostId, "expand=nothing_here"));
        Assert.Equal("{}", unknown!["expand"]!.ToJsonString());
        var (_, list) = await Guest.GetJsonAsync(Records(g.Posts, query: "expand=author"));
        Assert.Equal("ann", list!["items"]![0]!["expand"]!["author"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Back_relations_are_arrays_and_the_legacy_syntax_works()
    {
        var g = await SeedAsync();
        await CreateRecordAsync(g.Comments, new { text = "c1", post = g.PostId });
        await CreateRecordAsync(g.Comments, new { text = "c2", post = g.PostId });
        var (_, post) = await Guest.GetJsonAsync(Records(g.Posts, g.PostId, $"expand={g.Comments}_via_post"));
        var comments = post!["expand"]![$"{g.Comments}_via_post"]!.AsArray();
        Assert.Equal(["c1", "c2"], comments.Select(c => c!["text"]!.GetValue<string>()).Order());

        var (_, legacy) = await Guest.GetJsonAsync(Records(g.Posts, g.PostId, $"expand={g.Comments}(post)"));
        Assert.Equal(2, legacy!["expand"]![$"{g.Comments}_via_post"]!.AsArray().Count);

        var (_, user) = await Guest.GetJsonAsync(Records(g.Users, g.User2Id, $"expand={g.Posts}_via_editors.author"));
        var posts = user!["expand"]![$"{g.Posts}_via_editors"]!.AsArray();
        Assert.Equal("ann", posts.Single()!["expand"]!["author"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_back_relation_with_a_unique_index_is_a_single_object()
    {
        var g = await SeedAsync(commentIndexes: """["CREATE UNIQUE INDEX idx_TABLE_post ON TABLE (post)"]""");
        await CreateRecordAsync(g.Comments, new { text = "only", post = g.PostId });
        var (_, post) = await Guest.GetJsonAsync(Records(g.Posts, g.PostId, $"expand={g.Comments}_via_post"));
        Assert.Equal("only", post!["expand"]![$"{g.Comments}_via_post"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Relations_the_caller_may_not_view_are_left_out()
    {
        var g = await SeedAsync(teamRules: """{"viewRule":null}""");
        var (_, asGuest) = await Guest.GetJsonAsync(Records(g.Users, g.UserId, "expand=team"));
        Assert.Equal("{}", asGuest!["expand"]!.ToJsonString());
        var (_, asRoot) = await Superuser.GetJsonAsync(Records(g.Users, g.UserId, "expand=team"));
        Assert.Equal("core", asRoot!["expand"]!["team"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Expand_applies_to_create_and_update_responses()
    {
        var g = await SeedAsync();
        var (status, created) = await Guest.PostJsonAsync(Records(g.Posts, query: "expand=author"), new { title = "new", author = g.UserId });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ann", created!["expand"]!["author"]!["name"]!.GetValue<string>());
        var (_, updated) = await Guest.PatchJsonAsync(Records(g.Posts, created["id"]!.GetValue<string>(), "expand=author&fields=id,expand.author.name"), new { author = g.User2Id });
        Assert.Equal("bob", updated!["expand"]!["author"]!["name"]!.GetValue<string>());
        Assert.Null(updated["title"]);
    }
}

public sealed class RecordsExpandSqliteTests(SqliteServerFixture f) : RecordsExpandTests(f), IClassFixture<SqliteServerFixture>;

public sealed class RecordsExpandPostgresTests(PostgresServerFixture f) : RecordsExpandTests(f), IClassFixture<PostgresServerFixture>;
