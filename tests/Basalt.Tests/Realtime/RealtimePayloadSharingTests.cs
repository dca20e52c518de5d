using System.Net;
using System.Text.Json.Nodes;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Realtime;

/// <summary>
/// A payload is shared between subscriptions only where it cannot differ: an expand (or an auth record's email) is
/// resolved with the subscriber's request, options' headers and query included, so subscriptions with other options
/// never get the bytes made for another's.
/// </summary>
public abstract class RealtimePayloadSharingTests(BasaltServerFixture server)
{
    private const string Key = "open-sesame";

    [Fact(Timeout = 300_000)]
    public async Task An_expand_allowed_by_one_subscriptions_headers_never_reaches_a_subscription_without_them()
    {
        var vault = await CollectionAsync(new JsonObject
        {
            ["name"] = HttpJson.UniqueName("vault"),
            ["type"] = "base",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "code", ["type"] = "text" }),
            ["viewRule"] = $"@request.headers.x_key = '{Key}'",
        });
        var posts = await CollectionAsync(new JsonObject
        {
            ["name"] = HttpJson.UniqueName("posts"),
            ["type"] = "base",
            ["fields"] = new JsonArray(
                new JsonObject { ["name"] = "title", ["type"] = "text" },
                new JsonObject { ["name"] = "vault", ["type"] = "relation", ["collectionId"] = vault.Id, ["maxSelect"] = 1 }),
            ["listRule"] = "",
        });
        var (status, secret) = await server.Superuser.PostJsonAsync($"/api/collections/{vault.Name}/records", new { code = "s3cret" });
        Assert.Equal(HttpStatusCode.OK, status);

        // Both orders in one run: whichever is answered first, the other must not get its bytes.
        var withKey = Options(new JsonObject { ["x_key"] = Key });
        var withoutKey = Options(null);
        var subscriptions = new (string Topic, bool MaySee)[]
        {
            (posts.Name + "/*" + withKey, true),
            (posts.Name + "/*" + withoutKey, false),
            (posts.Name + withKey, true),
            (posts.Name + withoutKey, false),
        };
        await using var sse = await SseConnection.OpenAsync(server.Guest);
        Assert.Equal(HttpStatusCode.NoContent, (await RealtimeTests.Subscribe(server.Guest, sse.ClientId, [.. subscriptions.Select(s => s.Topic)])).Status);

        Assert.Equal(HttpStatusCode.OK, (await server.Superuser.PostJsonAsync(
            $"/api/collections/{posts.Name}/records", new { title = "t", vault = secret!["id"]!.GetValue<string>() })).Status);

        var received = new Dictionary<string, JsonNode>();
        while (received.Count < subscriptions.Length)
        {
            var frame = await sse.ReadAsync(TimeSpan.FromSeconds(60)) ?? throw new InvalidOperationException("the stream ended");
            received[frame.Event] = JsonNode.Parse(frame.Data)!;
        }

        foreach (var (topic, maySee) in subscriptions)
        {
            var expanded = received[topic]["record"]!["expand"]?["vault"];
            Assert.True(maySee == (expanded is not null), $"{topic}: {received[topic].ToJsonString()}");
        }
    }

    private static string Options(JsonObject? headers) => "?options=" + Uri.EscapeDataString(new JsonObject
    {
        ["query"] = new JsonObject { ["expand"] = "vault" },
        ["headers"] = headers ?? new JsonObject(),
    }.ToJsonString());

    private async Task<(string Name, string Id)> CollectionAsync(JsonObject definition)
    {
        var (status, body) = await server.Superuser.PostJsonAsync("/api/collections", definition.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        return (body!["name"]!.GetValue<string>(), body["id"]!.GetValue<string>());
    }
}

public sealed class RealtimePayloadSharingSqliteTests(SqliteServerFixture f) : RealtimePayloadSharingTests(f), IClassFixture<SqliteServerFixture>;

public sealed class RealtimePayloadSharingPostgresTests(PostgresServerFixture f) : RealtimePayloadSharingTests(f), IClassFixture<PostgresServerFixture>;
