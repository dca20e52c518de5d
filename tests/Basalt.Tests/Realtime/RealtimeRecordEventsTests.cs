using System.Net;
using System.Text.Json.Nodes;
using Basalt.Auth;
using Basalt.Realtime;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Realtime;

/// <summary>Record events (§8.3): each subscriber gets the events its own rule, filter and options allow, in commit order.</summary>
public abstract class RealtimeRecordEventsTests(BasaltServerFixture server)
{
    [Fact]
    public async Task Create_update_and_delete_reach_a_wildcard_subscriber_under_its_exact_topic()
    {
        var name = await CreateCollectionAsync(listRule: "", viewRule: "");
        await using var sse = await SseConnection.OpenAsync(server.Guest);
        await Subscribe(server.Guest, sse.ClientId, name + "/*");

        var id = await CreateRecordAsync(name, "one");
        var created = await sse.ReadAsync();
        Assert.Equal(name + "/*", created!.Event);
        var data = JsonNode.Parse(created.Data)!;
        Assert.Equal("create", data["action"]!.GetValue<string>());
        Assert.Equal(id, data["record"]!["id"]!.GetValue<string>());
        Assert.Equal("one", data["record"]!["title"]!.GetValue<string>());
        Assert.Equal(name, data["record"]!["collectionName"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, (await server.Superuser.PatchJsonAsync($"/api/collections/{name}/records/{id}", new { title = "two" })).Status);
        data = JsonNode.Parse((await sse.ReadAsync())!.Data)!;
        Assert.Equal("update", data["action"]!.GetValue<string>());
        Assert.Equal("two", data["record"]!["title"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NoContent, (await server.Superuser.DeleteJsonAsync($"/api/collections/{name}/records/{id}")).Status);
        data = JsonNode.Parse((await sse.ReadAsync())!.Data)!;
        Assert.Equal("delete", data["action"]!.GetValue<string>());
        Assert.Equal(id, data["record"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_list_rule_is_evaluated_per_subscriber_with_the_options_as_request_query()
    {
        var guarded = await CreateCollectionAsync(listRule: "@request.query.key = 'secret' && @request.context = 'realtime'", viewRule: "");
        var open = await CreateCollectionAsync(listRule: "", viewRule: "");
        await using var without = await SseConnection.OpenAsync(server.NewClient());
        await using var with = await SseConnection.OpenAsync(server.NewClient());
        var withTopic = guarded + "/*?options=" + Uri.EscapeDataString("""{"query":{"key":"secret"}}""");
        await Subscribe(server.Guest, without.ClientId, guarded + "/*", open + "/*");
        await Subscribe(server.Guest, with.ClientId, withTopic, open + "/*");

        var hidden = await CreateRecordAsync(guarded, "guarded");
        await CreateRecordAsync(open, "marker");

        var frame = await with.ReadAsync();
        Assert.Equal(withTopic, frame!.Event);
        Assert.Equal(hidden, JsonNode.Parse(frame.Data)!["record"]!["id"]!.GetValue<string>());
        Assert.Equal(open + "/*", (await without.ReadAsync())!.Event);
    }

    [Fact]
    public async Task A_record_topic_uses_the_view_rule_and_the_bound_auth()
    {
        var name = await CreateCollectionAsync(listRule: "", viewRule: null);
        var id = await CreateRecordAsync(name, "one");
        await using var guest = await SseConnection.OpenAsync(server.NewClient());
        await using var superuser = await SseConnection.OpenAsync(server.NewClient());
        await Subscribe(server.Guest, guest.ClientId, $"{name}/{id}", name + "/*");
        await Subscribe(server.Superuser, superuser.ClientId, $"{name}/{id}");

        Assert.Equal(HttpStatusCode.OK, (await server.Superuser.PatchJsonAsync($"/api/collections/{name}/records/{id}", new { title = "two" })).Status);

        Assert.Equal($"{name}/{id}", (await superuser.ReadAsync())!.Event);
        Assert.Equal(name + "/*", (await guest.ReadAsync())!.Event);
    }

    [Fact]
    public async Task The_filter_option_narrows_the_events_and_fields_picks_from_the_record()
    {
        var name = await CreateCollectionAsync(listRule: "", viewRule: "");
        await using var sse = await SseConnection.OpenAsync(server.Guest);
        var topic = name + "/*?options=" + Uri.EscapeDataString("""{"query":{"filter":"title = 'b'","fields":"id,title"}}""");
        await Subscribe(server.Guest, sse.ClientId, topic);

        await CreateRecordAsync(name, "a");
        var id = await CreateRecordAsync(name, "b");

        var frame = await sse.ReadAsync();
        Assert.Equal(topic, frame!.Event);
        Assert.Equal("""{"action":"create","record":{"id":"ID","title":"b"}}""".Replace("ID", id, StringComparison.Ordinal), frame.Data);
    }

    [Fact]
    public async Task Fields_with_an_excerpt_and_an_unusable_fields_option_apply_to_the_record()
    {
        var name = await CreateCollectionAsync(listRule: "", viewRule: "");
        await using var sse = await SseConnection.OpenAsync(server.Guest);
        var excerpt = name + "/*?options=" + Uri.EscapeDataString("""{"query":{"fields":"title:excerpt(3)"}}""");
        var unusable = name + "/*?options=" + Uri.EscapeDataString("""{"query":{"fields":"title:nope(1)"}}""");
        await Subscribe(server.Guest, sse.ClientId, excerpt, unusable);

        var id = await CreateRecordAsync(name, "abcdef");

        var frames = new[] { await sse.ReadAsync(), await sse.ReadAsync() }.ToDictionary(f => f!.Event, f => JsonNode.Parse(f!.Data)!);
        Assert.Equal("""{"action":"create","record":{"title":"abc"}}""", frames[excerpt].ToJsonString());
        Assert.Equal(id, frames[unusable]["record"]!["id"]!.GetValue<string>());
        Assert.Equal("abcdef", frames[unusable]["record"]!["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_bound_auth_is_refreshed_by_an_update_and_dropped_when_its_token_key_changes()
    {
        var email = HttpJson.UniqueName("rt") + "@example.com";
        await server.Services.GetRequiredService<SuperuserService>().UpsertAsync(email, "1234567890", CancellationToken.None);
        using var user = await server.SignInAsync("_superusers", email, "1234567890");
        await using var sse = await SseConnection.OpenAsync(user);
        await Subscribe(user, sse.ClientId, "anything");
        var registry = server.Services.GetRequiredService<RealtimeClientRegistry>();
        var id = registry.Find(sse.ClientId)!.Auth!.Id;
        var record = $"/api/collections/_superusers/records/{id}";

        Assert.Equal(HttpStatusCode.OK, (await server.Superuser.PatchJsonAsync(record, new { emailVisibility = true })).Status);
        await RealtimeTests.WaitUntil(() => registry.Find(sse.ClientId)!.Auth?.Get("emailVisibility") is true);

        Assert.Equal(HttpStatusCode.OK, (await server.Superuser.PatchJsonAsync(record, new { password = "0987654321", passwordConfirm = "0987654321" })).Status);
        await RealtimeTests.WaitUntil(() => registry.Find(sse.ClientId)!.Auth is null);
    }

    private async Task<string> CreateCollectionAsync(string? listRule, string? viewRule)
    {
        var name = HttpJson.UniqueName("rt");
        var (status, body) = await server.Superuser.PostJsonAsync("/api/collections", new JsonObject
        {
            ["name"] = name,
            ["type"] = "base",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "title", ["type"] = "text" }),
            ["listRule"] = listRule,
            ["viewRule"] = viewRule,
        }.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        return name;
    }

    private async Task<string> CreateRecordAsync(string collection, string title)
    {
        var (status, body) = await server.Superuser.PostJsonAsync($"/api/collections/{collection}/records", new { title });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        return body!["id"]!.GetValue<string>();
    }

    private static async Task Subscribe(HttpClient client, string clientId, params string[] topics) =>
        Assert.Equal(HttpStatusCode.NoContent, (await RealtimeTests.Subscribe(client, clientId, topics)).Status);
}

public sealed class RealtimeRecordEventsSqliteTests(SqliteServerFixture f) : RealtimeRecordEventsTests(f), IClassFixture<SqliteServerFixture>;

public sealed class RealtimeRecordEventsPostgresTests(PostgresServerFixture f) : RealtimeRecordEventsTests(f), IClassFixture<PostgresServerFixture>;
