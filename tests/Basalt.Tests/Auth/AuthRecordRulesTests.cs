using System.Net;
using System.Text.Json.Nodes;
using Basalt.Model;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Auth;

/// <summary>
/// Rules that read <c>@request.auth.*</c> (§5.2): relations of the signed-in record, its collection name, the signed-in
/// check, and how a superuser differs from a user of another auth collection.
/// </summary>
public abstract class AuthRecordRulesTests(BasaltServerFixture server)
{
    private const string Password = "rules-password-1";

    [Fact]
    public async Task Rule_follows_a_relation_of_the_auth_record()
    {
        // For a guest both sides are empty and compare equal (PocketBase's '' = ''), hence the signed-in check first.
        var world = await CreateWorldAsync("@request.auth.id != '' && @request.auth.team.owner = @request.auth.id");

        Assert.Equal(1, await CountAsync(world.Owner.Client, world.Posts));
        Assert.Equal(0, await CountAsync(world.Member.Client, world.Posts));
        Assert.Equal(0, await CountAsync(server.Guest, world.Posts));
        Assert.Equal(HttpStatusCode.OK, (await world.Owner.Client.GetJsonAsync(world.PostUrl)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await world.Member.Client.GetJsonAsync(world.PostUrl)).Status);
    }

    [Fact]
    public async Task Rule_reads_a_field_two_relations_away()
    {
        var world = await CreateWorldAsync("@request.auth.team.owner.email = 'nobody@example.com' || @request.auth.team.name = team.name");

        Assert.Equal(1, await CountAsync(world.Owner.Client, world.Posts));
        Assert.Equal(1, await CountAsync(world.Member.Client, world.Posts));
        Assert.Equal(0, await CountAsync(world.Outsider.Client, world.Posts));
        Assert.Equal(0, await CountAsync(server.Guest, world.Posts));
    }

    [Fact]
    public async Task Rule_checks_the_auth_collection_name()
    {
        var world = await CreateWorldAsync("@request.auth.collectionName = '{members}'");

        Assert.Equal(1, await CountAsync(world.Member.Client, world.Posts));
        Assert.Equal(0, await CountAsync(world.Outsider.Client, world.Posts));
        Assert.Equal(0, await CountAsync(server.Guest, world.Posts));
        Assert.Equal(1, await CountAsync(server.Superuser, world.Posts));
    }

    [Fact]
    public async Task Signed_in_rule_admits_any_auth_record_and_refuses_guests()
    {
        var world = await CreateWorldAsync("@request.auth.id != ''");

        Assert.Equal(1, await CountAsync(world.Member.Client, world.Posts));
        Assert.Equal(1, await CountAsync(world.Outsider.Client, world.Posts));
        Assert.Equal(0, await CountAsync(server.Guest, world.Posts));
        var (guestView, guestBody) = await server.Guest.GetJsonAsync(world.PostUrl);
        Assert.Equal(HttpStatusCode.NotFound, guestView);
        Assert.Equal(404, guestBody!["status"]!.GetValue<int>());
        var (guestCreate, _) = await server.Guest.PostJsonAsync($"/api/collections/{world.Posts}/records", new { title = "x", team = world.TeamId });
        Assert.Equal(HttpStatusCode.BadRequest, guestCreate);
        var (memberCreate, memberCreateBody) = await world.Member.Client.PostJsonAsync($"/api/collections/{world.Posts}/records", new { title = "x", team = world.TeamId });
        Assert.True(memberCreate == HttpStatusCode.OK, memberCreateBody?.ToJsonString());
    }

    [Fact]
    public async Task Superuser_bypasses_rules_a_user_of_another_collection_does_not()
    {
        var world = await CreateWorldAsync("@request.auth.collectionId = '{membersId}' && @request.auth.verified = true");
        var locked = await CreatePostsAsync(world.TeamsId, null);

        Assert.Equal(0, await CountAsync(world.Member.Client, world.Posts));
        Assert.Equal(0, await CountAsync(world.Outsider.Client, world.Posts));
        Assert.Equal(1, await CountAsync(server.Superuser, world.Posts));
        var (outsider, outsiderBody) = await world.Outsider.Client.GetJsonAsync($"/api/collections/{locked}/records");
        Assert.Equal(HttpStatusCode.Forbidden, outsider);
        Assert.Equal(403, outsiderBody!["status"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, (await server.Superuser.GetJsonAsync($"/api/collections/{locked}/records")).Status);

        await server.Superuser.PatchJsonAsync($"/api/collections/{world.Members}/records/{world.Member.Id}", new { verified = true });
        Assert.Equal(1, await CountAsync(world.Member.Client, world.Posts));
    }

    private static async Task<int> CountAsync(HttpClient client, string collection)
    {
        var (status, body) = await client.GetJsonAsync($"/api/collections/{collection}/records");
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        return body!["totalItems"]!.GetValue<int>();
    }

    /// <summary>
    /// Auth collection <c>members</c> with a <c>team</c> relation; <c>teams</c> (name, owner → members); one team owned by
    /// Owner with Member in it; Outsider in another auth collection; one post of that team, readable by <paramref name="rule"/>.
    /// </summary>
    private async Task<World> CreateWorldAsync(string rule)
    {
        var members = HttpJson.UniqueName("members");
        var outsiders = HttpJson.UniqueName("outsiders");
        await CreateAsync(new JsonObject { ["name"] = members, ["type"] = "auth", ["createRule"] = "" });
        await CreateAsync(new JsonObject { ["name"] = outsiders, ["type"] = "auth", ["createRule"] = "" });
        var lookup = server.Services.GetRequiredService<ICollectionLookup>();
        var membersId = lookup.Find(members)!.Id;
        var teams = HttpJson.UniqueName("teams");
        await CreateAsync(new JsonObject
        {
            ["name"] = teams,
            ["type"] = "base",
            ["fields"] = new JsonArray(
                new JsonObject { ["name"] = "name", ["type"] = "text" },
                new JsonObject { ["name"] = "owner", ["type"] = "relation", ["collectionId"] = membersId, ["maxSelect"] = 1 }),
        });
        var teamsId = lookup.Find(teams)!.Id;
        var (_, current) = await server.Superuser.GetJsonAsync($"/api/collections/{members}");
        var fields = current!["fields"]!.AsArray();
        fields.Add(new JsonObject { ["name"] = "team", ["type"] = "relation", ["collectionId"] = teamsId, ["maxSelect"] = 1 });
        var (patched, patchedBody) = await server.Superuser.PatchJsonAsync($"/api/collections/{members}", new JsonObject { ["fields"] = fields.DeepClone() }.ToJsonString());
        Assert.True(patched == HttpStatusCode.OK, patchedBody?.ToJsonString());

        var owner = await CreateUserAsync(members);
        var member = await CreateUserAsync(members);
        var outsider = await CreateUserAsync(outsiders);
        var (_, team) = await server.Superuser.PostJsonAsync($"/api/collections/{teams}/records", new { name = "red " + teams, owner = owner.Id });
        var teamId = team!["id"]!.GetValue<string>();
        await server.Superuser.PostJsonAsync($"/api/collections/{teams}/records", new { name = "blue " + teams, owner = outsider.Id });
        foreach (var user in new[] { owner, member })
        {
            var (set, setBody) = await server.Superuser.PatchJsonAsync($"/api/collections/{members}/records/{user.Id}", new { team = teamId });
            Assert.True(set == HttpStatusCode.OK, setBody?.ToJsonString());
        }

        var posts = await CreatePostsAsync(teamsId, rule.Replace("{members}", members, StringComparison.Ordinal).Replace("{membersId}", membersId, StringComparison.Ordinal));
        var (_, post) = await server.Superuser.PostJsonAsync($"/api/collections/{posts}/records", new { title = "hello", team = teamId });
        return new World(members, teamsId, teamId, posts, $"/api/collections/{posts}/records/{post!["id"]}", owner, member, outsider);
    }

    private async Task<string> CreatePostsAsync(string teamsId, string? rule)
    {
        var posts = HttpJson.UniqueName("posts");
        await CreateAsync(new JsonObject
        {
            ["name"] = posts,
            ["type"] = "base",
            ["listRule"] = rule,
            ["viewRule"] = rule,
            ["createRule"] = rule,
            ["fields"] = new JsonArray(
                new JsonObject { ["name"] = "title", ["type"] = "text" },
                new JsonObject { ["name"] = "team", ["type"] = "relation", ["collectionId"] = teamsId, ["maxSelect"] = 1 }),
        });
        return posts;
    }

    private async Task CreateAsync(JsonObject body)
    {
        var (status, created) = await server.Superuser.PostJsonAsync("/api/collections", body.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, created?.ToJsonString());
    }

    private async Task<User> CreateUserAsync(string collection)
    {
        var email = "rules-" + Guid.NewGuid().ToString("N")[..8] + "@example.com";
        var (status, record) = await server.Guest.PostJsonAsync(
            $"/api/collections/{collection}/records", new { email, password = Password, passwordConfirm = Password });
        Assert.True(status == HttpStatusCode.OK, record?.ToJsonString());
        var client = await server.SignInAsync(collection, email, Password);
        return new User(record!["id"]!.GetValue<string>(), client);
    }

    private sealed record User(string Id, HttpClient Client);

    private sealed record World(string Members, string TeamsId, string TeamId, string Posts, string PostUrl, User Owner, User Member, User Outsider);
}

public sealed class AuthRecordRulesSqliteTests(SqliteServerFixture f) : AuthRecordRulesTests(f), IClassFixture<SqliteServerFixture>;

public sealed class AuthRecordRulesPostgresTests(PostgresServerFixture f) : AuthRecordRulesTests(f), IClassFixture<PostgresServerFixture>;
