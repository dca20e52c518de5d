using System.Net;
using System.Text.Json.Nodes;
using Basalt.Realtime;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Realtime;

/// <summary>
/// A subscription's <c>filter</c> option (§8.2) is a client filter, compiled for its subscriber as a list request's
/// filter is: a probe that could read what the subscriber may not list gets no event, never an answer bit.
/// </summary>
public abstract class RealtimeFilterAttackTests(BasaltServerFixture server)
{
    private const string Secret = "s3cret-value";
    private const string VaultCode = "vault-42";

    public static TheoryData<string> Probes => new()
    {
        $"@collection._superusers.email ?= '{BasaltServerFixture.SuperuserEmail}'",
        "@request.auth.id != ''",
        "@request.context = 'realtime'",
        $"secret = '{Secret}'",
        "tokenKey != ''",
        "password != ''",
        $"friend.code = '{VaultCode}'",
        "id != ''" + string.Concat(Enumerable.Repeat(" || id != ''", 299)),
        "id != '' && username != '" + new string('x', 4000) + "'",
    };

    [Theory]
    [MemberData(nameof(Probes))]
    public async Task A_probe_filter_on_the_subscribers_own_record_gets_no_event(string filter)
    {
        var (users, user) = await SignedUpUserAsync();
        var marker = await OpenCollectionAsync();
        using var client = server.NewClient(user.Token);
        await using var sse = await SseConnection.OpenAsync(client);
        var probe = $"{users}/{user.Id}?options=" + Uri.EscapeDataString(new JsonObject { ["query"] = new JsonObject { ["filter"] = filter } }.ToJsonString());

        var (status, body) = await RealtimeTests.Subscribe(client, sse.ClientId, probe, marker + "/*");
        if (status == HttpStatusCode.BadRequest)
        {
            // a filter too long for a topic never reaches the events
            Assert.NotNull(body!["data"]!["subscriptions"]);
            return;
        }

        Assert.Equal(HttpStatusCode.NoContent, status);
        Assert.Equal(HttpStatusCode.OK, (await client.PatchJsonAsync($"/api/collections/{users}/records/{user.Id}", new { username = "touched" })).Status);
        await CreateRecordAsync(marker);

        Assert.Equal(marker + "/*", (await sse.ReadAsync())!.Event);
    }

    [Fact]
    public async Task A_plain_filter_on_visible_fields_still_delivers()
    {
        var (users, user) = await SignedUpUserAsync();
        using var client = server.NewClient(user.Token);
        await using var sse = await SseConnection.OpenAsync(client);
        var topic = $"{users}/{user.Id}?options=" + Uri.EscapeDataString("""{"query":{"filter":"username = 'touched' && id != ''"}}""");
        Assert.Equal(HttpStatusCode.NoContent, (await RealtimeTests.Subscribe(client, sse.ClientId, topic)).Status);

        Assert.Equal(HttpStatusCode.OK, (await client.PatchJsonAsync($"/api/collections/{users}/records/{user.Id}", new { username = "touched" })).Status);

        var frame = await sse.ReadAsync();
        Assert.Equal(topic, frame!.Event);
        Assert.Equal(user.Id, JsonNode.Parse(frame.Data)!["record"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_superuser_subscriber_filters_with_superuser_privileges()
    {
        var name = await OpenCollectionAsync();
        await using var sse = await SseConnection.OpenAsync(server.Superuser);
        var filter = $"@collection._superusers.email ?= '{BasaltServerFixture.SuperuserEmail}' && @request.auth.id != ''";
        var topic = name + "/*?options=" + Uri.EscapeDataString(new JsonObject { ["query"] = new JsonObject { ["filter"] = filter } }.ToJsonString());
        Assert.Equal(HttpStatusCode.NoContent, (await RealtimeTests.Subscribe(server.Superuser, sse.ClientId, topic)).Status);

        var id = await CreateRecordAsync(name);

        var frame = await sse.ReadAsync();
        Assert.Equal(topic, frame!.Event);
        Assert.Equal(id, JsonNode.Parse(frame.Data)!["record"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_expand_option_honours_the_expanded_collections_view_rule()
    {
        var (users, user) = await SignedUpUserAsync();
        using var client = server.NewClient(user.Token);
        await using var sse = await SseConnection.OpenAsync(client);
        var topic = $"{users}/{user.Id}?options=" + Uri.EscapeDataString("""{"query":{"expand":"friend"}}""");
        Assert.Equal(HttpStatusCode.NoContent, (await RealtimeTests.Subscribe(client, sse.ClientId, topic)).Status);

        Assert.Equal(HttpStatusCode.OK, (await client.PatchJsonAsync($"/api/collections/{users}/records/{user.Id}", new { username = "touched" })).Status);

        var record = JsonNode.Parse((await sse.ReadAsync())!.Data)!["record"]!;
        Assert.False(string.IsNullOrEmpty(record["friend"]!.GetValue<string>()));
        Assert.Null(record["expand"]?["friend"]);
        Assert.DoesNotContain(VaultCode, record.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_signed_in_subscriber_gets_its_costly_subscriptions_evaluated_up_to_its_budget_however_many_connections_share_them()
    {
        var name = await OpenCollectionAsync();
        var marker = await OpenCollectionAsync();
        var (_, user) = await SignedUpUserAsync();
        using var client = server.NewClient(user.Token);
        var topics = Enumerable.Range(0, SubscriberBudget.SignedIn + 10)
            .Select(i => $"{name}/*?options=" + Uri.EscapeDataString(new JsonObject { ["query"] = new JsonObject { ["filter"] = $"title != 'x{i}'" } }.ToJsonString()))
            .Append(marker + "/*")
            .ToArray();
        await using var first = await SseConnection.OpenAsync(server.Guest);
        await using var second = await SseConnection.OpenAsync(server.Guest);
        Assert.Equal(HttpStatusCode.NoContent, (await RealtimeTests.Subscribe(client, first.ClientId, topics)).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await RealtimeTests.Subscribe(client, second.ClientId, topics)).Status);

        await CreateRecordAsync(name);
        await CreateRecordAsync(marker);

        foreach (var sse in new[] { first, second })
        {
            var events = 0;
            while ((await sse.ReadAsync())!.Event != marker + "/*")
            {
                events++;
            }

            Assert.Equal(SubscriberBudget.SignedIn, events);
        }
    }

    [Fact]
    public async Task A_delete_refused_by_its_rule_sends_nothing_and_an_allowed_one_its_event()
    {
        var (users, user) = await SignedUpUserAsync();
        var (_, other) = await SignedUpUserAsync(users);
        var marker = await OpenCollectionAsync();
        await using var watcher = await SseConnection.OpenAsync(server.Superuser);
        Assert.Equal(HttpStatusCode.NoContent, (await RealtimeTests.Subscribe(server.Superuser, watcher.ClientId, users + "/*", marker + "/*")).Status);
        using var client = server.NewClient(user.Token);

        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteJsonAsync($"/api/collections/{users}/records/{other.Id}")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteJsonAsync($"/api/collections/{users}/records/{user.Id}")).Status);
        await CreateRecordAsync(marker);

        var deleted = await watcher.ReadAsync();
        Assert.Equal("delete", JsonNode.Parse(deleted!.Data)!["action"]!.GetValue<string>());
        Assert.Equal(user.Id, JsonNode.Parse(deleted.Data)!["record"]!["id"]!.GetValue<string>());
        Assert.Equal(marker + "/*", (await watcher.ReadAsync())!.Event);
    }

    /// <summary>
    /// An auth collection whose users list, view, update and delete only themselves, with a hidden field and a relation
    /// into a collection nobody but superusers may list or view; one user signed up there, its secret and link set.
    /// </summary>
    private async Task<(string Users, SignedUpUser User)> SignedUpUserAsync(string? users = null)
    {
        if (users is null)
        {
            var vault = await CreateCollectionAsync(new JsonObject
            {
                ["name"] = HttpJson.UniqueName("vault"),
                ["type"] = "base",
                ["fields"] = new JsonArray(new JsonObject { ["name"] = "code", ["type"] = "text" }),
                ["listRule"] = null,
                ["viewRule"] = null,
            });
            const string own = "id = @request.auth.id";
            users = await AuthCollections.CreateAsync(server, new JsonObject
            {
                ["listRule"] = own,
                ["viewRule"] = own,
                ["updateRule"] = own,
                ["deleteRule"] = own,
                ["createRule"] = "",
                ["fields"] = new JsonArray(
                    new JsonObject { ["name"] = "username", ["type"] = "text" },
                    new JsonObject { ["name"] = "secret", ["type"] = "text", ["hidden"] = true },
                    new JsonObject { ["name"] = "friend", ["type"] = "relation", ["collectionId"] = vault.Id, ["maxSelect"] = 1 }),
            });
            _vaultRecords[users] = await CreateRecordAsync(vault.Name, new { code = VaultCode });
        }

        var user = await AuthCollections.SignUpAsync(server, users, HttpJson.UniqueName("u") + "@example.com", "password-123");
        var (status, body) = await server.Superuser.PatchJsonAsync(
            $"/api/collections/{users}/records/{user.Id}", new { secret = Secret, friend = _vaultRecords[users] });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        return (users, user);
    }

    private readonly Dictionary<string, string> _vaultRecords = [];

    private async Task<string> OpenCollectionAsync() =>
        (await CreateCollectionAsync(new JsonObject
        {
            ["name"] = HttpJson.UniqueName("open"),
            ["type"] = "base",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "title", ["type"] = "text" }),
            ["listRule"] = "",
            ["viewRule"] = "",
        })).Name;

    private async Task<(string Id, string Name)> CreateCollectionAsync(JsonObject body)
    {
        var (status, created) = await server.Superuser.PostJsonAsync("/api/collections", body.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, created?.ToJsonString());
        return (created!["id"]!.GetValue<string>(), created["name"]!.GetValue<string>());
    }

    private Task<string> CreateRecordAsync(string collection) => CreateRecordAsync(collection, new { title = "marker" });

    private async Task<string> CreateRecordAsync(string collection, object body)
    {
        var (status, created) = await server.Superuser.PostJsonAsync($"/api/collections/{collection}/records", body);
        Assert.True(status == HttpStatusCode.OK, created?.ToJsonString());
        return created!["id"]!.GetValue<string>();
    }
}

public sealed class RealtimeFilterAttackSqliteTests(SqliteServerFixture f) : RealtimeFilterAttackTests(f), IClassFixture<SqliteServerFixture>;

public sealed class RealtimeFilterAttackPostgresTests(PostgresServerFixture f) : RealtimeFilterAttackTests(f), IClassFixture<PostgresServerFixture>;
