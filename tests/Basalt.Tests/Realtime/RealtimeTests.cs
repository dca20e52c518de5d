using System.Net;
using System.Text.Json.Nodes;
using Basalt.Api;
using Basalt.Auth;
using Basalt.Realtime;
using Basalt.Tests.Fixtures;
using Microsoft.Extensions.Options;

namespace Basalt.Tests.Realtime;

/// <summary><c>GET</c>/<c>POST /api/realtime</c> (§8.1, §8.2) over a real SSE stream.</summary>
public abstract class RealtimeTests(BasaltServerFixture server)
{
    private const string Realtime = "/api/realtime";

    private RealtimeClientRegistry Registry => server.Services.GetRequiredService<RealtimeClientRegistry>();

    private IRealtimeBroker Broker => server.Services.GetRequiredService<IRealtimeBroker>();

    [Fact]
    public async Task Connect_streams_event_stream_headers_and_a_PB_CONNECT_frame_carrying_the_client_id()
    {
        await using var sse = await SseConnection.OpenAsync(server.Guest);

        Assert.Equal("text/event-stream", sse.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", sse.Response.Headers.CacheControl?.ToString());
        Assert.Equal("no", Assert.Single(sse.Response.Headers.GetValues("X-Accel-Buffering")));
        Assert.Matches("^[A-Za-z0-9]{40}$", sse.ClientId);
        Assert.Equal($"id:{sse.ClientId}\nevent:PB_CONNECT\ndata:{{\"clientId\":\"{sse.ClientId}\"}}\n\n", sse.ConnectFrame);
        Assert.NotNull(Registry.Find(sse.ClientId));
    }

    [Fact]
    public async Task Subscribe_replaces_the_whole_list_and_events_are_named_by_the_exact_subscription()
    {
        await using var sse = await SseConnection.OpenAsync(server.Guest);
        const string withOptions = "posts/*?options=%7B%22query%22%3A%7B%22expand%22%3A%22author%22%2C%22page%22%3A2%7D%2C%22headers%22%3A%7B%22X-Token%22%3A%22t%22%7D%7D";

        Assert.Equal(HttpStatusCode.NoContent, (await Subscribe(server.Guest, sse.ClientId, "a", "b", "", "a")).Status);
        Assert.Equal(["a", "b"], Registry.Find(sse.ClientId)!.Subscriptions.Select(s => s.Raw));

        Assert.Equal(HttpStatusCode.NoContent, (await Subscribe(server.Guest, sse.ClientId, withOptions, "posts/abc")).Status);
        var subscriptions = Registry.Find(sse.ClientId)!.Subscriptions;
        Assert.Equal([withOptions, "posts/abc"], subscriptions.Select(s => s.Raw));
        var info = subscriptions[0].ToRequestInfo(null);
        Assert.Equal("realtime", info.Context);
        Assert.Equal("GET", info.Method);
        Assert.Equal("author", info.Query["expand"]);
        Assert.Equal("2", info.Query["page"]);
        Assert.Equal("t", info.Headers["x_token"]);

        await Broker.PublishAsync(new RealtimePublication("a", """{"n":1}"""), CancellationToken.None);
        await Broker.PublishAsync(new RealtimePublication("posts/*", """{"n":2}"""), CancellationToken.None);
        var frame = await sse.ReadAsync();
        Assert.Equal($"id:{sse.ClientId}\nevent:{withOptions}\ndata:{{\"n\":2}}\n\n", frame!.Raw);

        Assert.Equal(HttpStatusCode.NoContent, (await Subscribe(server.Guest, sse.ClientId)).Status);
        Assert.Empty(Registry.Find(sse.ClientId)!.Subscriptions);
    }

    [Fact]
    public async Task Subscribe_enforces_the_limits_naming_the_field()
    {
        await using var sse = await SseConnection.OpenAsync(server.Guest);

        var (status, body) = await Subscribe(server.Guest, sse.ClientId, Enumerable.Range(0, 1001).Select(i => "t" + i).ToArray());
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("validation_length_too_long", body!["data"]!["subscriptions"]!["code"]!.GetValue<string>());

        (status, body) = await Subscribe(server.Guest, sse.ClientId, "ok", new string('x', 2501));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("validation_length_too_long", body!["data"]!["subscriptions"]!["1"]!["code"]!.GetValue<string>());

        (status, body) = await Subscribe(server.Guest, new string('x', 256), "a");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("validation_length_out_of_range", body!["data"]!["clientId"]!["code"]!.GetValue<string>());

        (status, body) = await server.Guest.PostJsonAsync(Realtime, new JsonObject { ["subscriptions"] = new JsonArray("a") });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("validation_required", body!["data"]!["clientId"]!["code"]!.GetValue<string>());

        (status, body) = await Subscribe(server.Guest, sse.ClientId, "posts/*?options=%7Bnot-json");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("validation_invalid_value", body!["data"]!["subscriptions"]!["0"]!["code"]!.GetValue<string>());

        (status, body) = await Subscribe(server.Guest, sse.ClientId, "a\nevent:injected");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(body!["data"]!["subscriptions"]!["0"]);

        Assert.Empty(Registry.Find(sse.ClientId)!.Subscriptions);
    }

    [Theory]
    [InlineData("""{"clientId": 5, "subscriptions": []}""")]
    [InlineData("""{"clientId": "x", "subscriptions": "a"}""")]
    [InlineData("""{"clientId": "x", "subscriptions": [1]}""")]
    [InlineData("""{"clientId": "x", """)]
    [InlineData("""[1, 2]""")]
    public async Task Malformed_or_mistyped_bodies_are_400_envelopes(string json)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await server.Guest.PostAsync(Realtime, content);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(400, body!["status"]!.GetValue<int>());
        Assert.NotNull(body["message"]);
    }

    [Fact]
    public async Task An_unknown_client_id_is_404()
    {
        var (status, body) = await Subscribe(server.Guest, "doesnotexist0000000000000000000000000000", "a");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("Missing or invalid client id.", body!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Subscribe_from_another_ip_than_the_stream_is_400()
    {
        await using var sse = await SseConnection.OpenAsync(server.Guest);
        using var other = SseConnection.FromAddress(server.BaseAddress, IPAddress.Parse("127.0.0.2"));

        var (status, _) = await Subscribe(other, sse.ClientId, "a");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Empty(Registry.Find(sse.ClientId)!.Subscriptions);
    }

    [Fact]
    public async Task The_first_authorized_subscribe_binds_the_auth_and_another_auth_is_403()
    {
        await server.Services.GetRequiredService<SuperuserService>().UpsertAsync("realtime-other@example.com", "1234567890", CancellationToken.None);
        using var other = await server.SignInAsync("_superusers", "realtime-other@example.com", "1234567890");
        await using var sse = await SseConnection.OpenAsync(server.Guest);

        Assert.Equal(HttpStatusCode.NoContent, (await Subscribe(server.Guest, sse.ClientId, "a")).Status);
        Assert.Null(Registry.Find(sse.ClientId)!.Auth);
        Assert.Equal(HttpStatusCode.NoContent, (await Subscribe(server.Superuser, sse.ClientId, "b")).Status);
        Assert.Equal(BasaltServerFixture.SuperuserEmail, Registry.Find(sse.ClientId)!.Auth!.GetString("email"));

        foreach (var client in new[] { other, server.Guest })
        {
            var (status, body) = await Subscribe(client, sse.ClientId, "c");
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.Equal("The current and the previous request authorization don't match.", body!["message"]!.GetValue<string>());
        }

        Assert.Equal(["b"], Registry.Find(sse.ClientId)!.Subscriptions.Select(s => s.Raw));
        Assert.Equal(HttpStatusCode.NoContent, (await Subscribe(server.Superuser, sse.ClientId, "d")).Status);
    }

    [Fact]
    public async Task The_stream_ends_after_the_idle_timeout_and_the_client_is_removed()
    {
        var options = server.Services.GetRequiredService<IOptions<ApiOptions>>().Value;
        var idle = options.RealtimeIdleTimeout;
        options.RealtimeIdleTimeout = TimeSpan.FromMilliseconds(1500);
        try
        {
            await using var sse = await SseConnection.OpenAsync(server.Guest);
            Assert.Equal(HttpStatusCode.NoContent, (await Subscribe(server.Guest, sse.ClientId, "tick")).Status);
            await Broker.PublishAsync(new RealtimePublication("tick", "{}"), CancellationToken.None);

            Assert.Equal("tick", (await sse.ReadAsync())!.Event);
            Assert.Null(await sse.ReadAsync());
            await WaitUntil(() => Registry.Find(sse.ClientId) is null);
        }
        finally
        {
            options.RealtimeIdleTimeout = idle;
        }
    }

    [Fact]
    public async Task The_stream_ends_after_the_max_lifetime_even_when_busy()
    {
        var options = server.Services.GetRequiredService<IOptions<ApiOptions>>().Value;
        var lifetime = options.RealtimeMaxLifetime;
        options.RealtimeMaxLifetime = TimeSpan.FromMilliseconds(600);
        try
        {
            await using var sse = await SseConnection.OpenAsync(server.Guest);
            Assert.Null(await sse.ReadAsync());
            await WaitUntil(() => Registry.Find(sse.ClientId) is null);
        }
        finally
        {
            options.RealtimeMaxLifetime = lifetime;
        }
    }

    [Fact]
    public async Task Disconnected_clients_are_removed()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            await using var sse = await SseConnection.OpenAsync(server.NewClient());
            ids.Add(sse.ClientId);
            Assert.NotNull(Registry.Find(sse.ClientId));
        }

        await WaitUntil(() => ids.All(id => Registry.Find(id) is null) && Registry.Count == 0);
    }

    [Fact]
    public async Task Stopping_the_host_ends_open_streams_without_waiting_for_their_timeouts()
    {
        var own = server.Storage == StorageKind.Sqlite ? (BasaltServerFixture)new SqliteServerFixture() : new PostgresServerFixture();
        await own.InitializeAsync();
        var registry = own.Services.GetRequiredService<RealtimeClientRegistry>();
        await using var sse = await SseConnection.OpenAsync(own.Guest);
        var started = System.Diagnostics.Stopwatch.StartNew();

        await own.DisposeAsync();

        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"shutdown took {started.Elapsed}");
        Assert.Null(await sse.ReadAsync());
        Assert.Equal(0, registry.Count);
    }

    /// <summary>
    /// A lone UTF-16 surrogate escape is valid JSON but no text: it reads as U+FFFD, as Go's decoder reads it for
    /// PocketBase, in the body and in a topic's options alike. Never a 500.
    /// </summary>
    [Theory]
    [InlineData("""{"clientId":"\ud800","subscriptions":[]}""", HttpStatusCode.NotFound)]
    [InlineData("""{"clientId":"CLIENT","subscriptions":["\udfff"]}""", HttpStatusCode.NoContent)]
    [InlineData("""{"clientId":"CLIENT","subscriptions":["posts/*\ud800?options={}"]}""", HttpStatusCode.NoContent)]
    [InlineData("""{"clientId":"CLIENT","subscriptions":["posts/*?options={\"query\":{\"filter\":\"\\ud800\"}}"]}""", HttpStatusCode.NoContent)]
    [InlineData("""{"clientId":"CLIENT","subscriptions":["posts/*?options={\"headers\":{\"\\udfff\":\"v\"}}"]}""", HttpStatusCode.NoContent)]
    [InlineData("""{"clientId":"CLIENT","subscriptions":["posts/*?options={\"query\":{\"\\udc00x\":1}}"]}""", HttpStatusCode.NoContent)]
    public async Task A_lone_surrogate_escape_anywhere_in_a_subscribe_body_reads_as_the_replacement_character(string body, HttpStatusCode expected)
    {
        await using var sse = await SseConnection.OpenAsync(server.Guest);

        var (status, answer) = await server.Guest.PostJsonAsync(Realtime, body.Replace("CLIENT", sse.ClientId, StringComparison.Ordinal));

        Assert.Equal(expected, status);
        if (expected != HttpStatusCode.NoContent)
        {
            Assert.Equal((int)expected, answer!["status"]!.GetValue<int>());
            Assert.IsType<JsonObject>(answer["data"]);
        }
    }

    internal static Task<(HttpStatusCode Status, JsonNode? Body)> Subscribe(HttpClient client, string clientId, params string[] subscriptions) =>
        client.PostJsonAsync(Realtime, new { clientId, subscriptions });

    internal static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 10 s");
            await Task.Delay(10);
        }
    }
}

public sealed class RealtimeSqliteTests(SqliteServerFixture f) : RealtimeTests(f), IClassFixture<SqliteServerFixture>;

public sealed class RealtimePostgresTests(PostgresServerFixture f) : RealtimeTests(f), IClassFixture<PostgresServerFixture>;
