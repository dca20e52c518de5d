using System.Net;
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

    /// <summary>Fifty records of a self-relation, each linking to all fifty: six levels would be 50^7 records.</summary>
    private async Task<string> SeedAllToAllAsync()
    {
        var name = HttpJson.UniqueName("mesh");
        var id = (await CreateCollectionAsync(name, """[{"name":"n","type":"number"}]"""))["id"]!.GetValue<string>();
        var (status, body) = await Superuser.PatchJsonAsync("/api/collections/" + id, Json($$"""{"fields":[{"name":"n","type":"number"},{"name":"rel","type":"relation","collectionId":"{{id}}","maxSelect":99}]}"""));
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        var ids = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            ids.Add((await CreateRecordAsync(name, new { n = i }))["id"]!.GetValue<string>());
        }

        foreach (var recordId in ids)
        {
            var (patched, _) = await Superuser.PatchJsonAsync(Records(name, recordId), new { rel = ids });
            Assert.Equal(HttpStatusCode.OK, patched);
        }

        return name;
    }

    [Fact]
    public async Task A_six_level_expand_over_a_dense_graph_is_refused_quickly()
    {
        var mesh = await SeedAllToAllAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (status, body) = await Guest.GetJsonAsync(Records(mesh, query: "perPage=500&expand=rel.rel.rel.rel.rel.rel"));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"answered after {clock.Elapsed}");
        Assert.True(status == HttpStatusCode.BadRequest, body?.ToJsonString());
        Assert.Equal(Basalt.Records.RecordExpander.TooManyMessage, body!["message"]!.GetValue<string>());

        // One level is 50 × 50 = 2,500 expanded records: within the bound.
        var (one, list) = await Guest.GetJsonAsync(Records(mesh, query: "perPage=500&expand=rel"));
        Assert.Equal(HttpStatusCode.OK, one);
        Assert.All(list!["items"]!.AsArray(), item => Assert.Equal(50, item!["expand"]!["rel"]!.AsArray().Count));
    }

    [Fact]
    public async Task An_expand_tree_needing_more_than_100_queries_is_refused()
    {
        var name = HttpJson.UniqueName("loop");
        var id = (await CreateCollectionAsync(name, """[{"name":"n","type":"number"}]"""))["id"]!.GetValue<string>();
        var (status, body) = await Superuser.PatchJsonAsync("/api/collections/" + id, Json($$"""{"fields":[{"name":"n","type":"number"},{"name":"r","type":"relation","collectionId":"{{id}}","maxSelect":9},{"name":"s","type":"relation","collectionId":"{{id}}","maxSelect":9}]}"""));
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        var record = (await CreateRecordAsync(name, new { n = 1 }))["id"]!.GetValue<string>();
        await Superuser.PatchJsonAsync(Records(name, record), new { r = new[] { record }, s = new[] { record } });

        // Every path of six r/s steps: 126 tree nodes, each one query, each finding the record again.
        var paths = Enumerable.Range(0, 64).Select(bits => string.Join('.', Enumerable.Range(0, 6).Select(i => (bits >> i & 1) == 0 ? "r" : "s")));
        var (wide, error) = await Guest.GetJsonAsync(Records(name, record, "expand=" + string.Join(',', paths)));
        Assert.True(wide == HttpStatusCode.BadRequest, error?.ToJsonString());
        Assert.Equal(Basalt.Records.RecordExpander.TooManyQueriesMessage, error!["message"]!.GetValue<string>());

        var (deep, ok) = await Guest.GetJsonAsync(Records(name, record, "expand=r.r.r.r.r.r,s"));
        Assert.True(deep == HttpStatusCode.OK, ok?.ToJsonString());
    }

    [Fact]
    public async Task A_back_relation_expand_holds_at_most_1000_records_per_parent()
    {
        var g = await SeedAsync();
        var other = await CreateRecordAsync(g.Posts, new { title = "other" });
        var database = Server.Services.GetRequiredService<Basalt.Storage.IDatabase>();
        var sql = $"""
            WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 1005)
            INSERT INTO "{g.Comments}" (id, text, post) SELECT 'c' || CAST(100000000000000 + i AS TEXT), 'c' || CAST(i AS TEXT), '{g.PostId}' FROM s
            """;
        await database.WriteAsync(
            async (connection, transaction, ct) =>
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = sql;
                return await command.ExecuteNonQueryAsync(ct);
            },
            CancellationToken.None);
        await CreateRecordAsync(g.Comments, new { text = "x", post = other["id"] });

        var (status, list) = await Guest.GetJsonAsync(Records(g.Posts, query: $"sort=title&expand={g.Comments}_via_post"));
        Assert.True(status == HttpStatusCode.OK, list?.ToJsonString());
        var items = list!["items"]!.AsArray();
        Assert.Equal(1000, items.Single(i => i!["id"]!.GetValue<string>() == g.PostId)!["expand"]![$"{g.Comments}_via_post"]!.AsArray().Count);
        Assert.Equal("x", items.Single(i => i!["title"]!.GetValue<string>() == "other")!["expand"]![$"{g.Comments}_via_post"]![0]!["text"]!.GetValue<string>());
    }
}

public sealed class RecordsExpandSqliteTests(SqliteServerFixture f) : RecordsExpandTests(f), IClassFixture<SqliteServerFixture>;

public sealed class RecordsExpandPostgresTests(PostgresServerFixture f) : RecordsExpandTests(f), IClassFixture<PostgresServerFixture>;
