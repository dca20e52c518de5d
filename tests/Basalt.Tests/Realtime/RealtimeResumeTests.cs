using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Basalt.Api;
using Basalt.Realtime;
using Basalt.Tests.Fixtures;
using Microsoft.Extensions.Options;

namespace Basalt.Tests.Realtime;

/// <summary>
/// Issue 13: a client that reconnects with the id of the last event it got (Last-Event-ID on connect, or lastEventId
/// on its subscribe) receives exactly the events it missed, checked against its rules, then the live ones; one that
/// comes back after the change log dropped its id gets PB_RESET; a client that stops reading is disconnected while the
/// others go on.
/// </summary>
public abstract class RealtimeResumeTests(BasaltServerFixture server)
{
    private RealtimeClientRegistry Registry => server.Services.GetRequiredService<RealtimeClientRegistry>();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_resumed_connection_receives_exactly_the_missed_events_then_the_live_ones(bool onConnect)
    {
        var name = await CollectionAsync();
        var topic = name + "/*?options=" + Uri.EscapeDataString("""{"query":{"filter":"title != 'hidden'"}}""");
        string last;
        await using (var first = await SseConnection.OpenAsync(server.Guest))
        {
            await SubscribeAsync(first.ClientId, topic);
            await CreateAsync(name, "a");
            await CreateAsync(name, "b");
            Assert.Equal("a", Title(await first.ReadAsync()));
            var b = await first.ReadAsync();
            Assert.Equal("b", Title(b));
            last = b!.Id;
        }

        var missed = new[] { await CreateAsync(name, "c"), await CreateAsync(name, "hidden"), await CreateAsync(name, "d") };
        await using var second = await SseConnection.OpenAsync(server.Guest, onConnect ? last : null);
        var (status, body) = await server.Guest.PostJsonAsync(
            "/api/realtime" + (onConnect ? "" : "?lastEventId=" + last), new { clientId = second.ClientId, subscriptions = new[] { topic } });
        Assert.True(status == HttpStatusCode.NoContent, body?.ToJsonString());
        var live = await CreateAsync(name, "e");

        var frames = new[] { await second.ReadAsync(), await second.ReadAsync(), await second.ReadAsync() };
        Assert.Equal(["c", "d", "e"], frames.Select(Title));
        Assert.Equal([missed[0], missed[2], live], frames.Select(f => JsonNode.Parse(f!.Data)!["record"]!["id"]!.GetValue<string>()));
        var ids = frames.Select(f => long.Parse(f!.Id, CultureInfo.InvariantCulture)).ToList();
        Assert.True(long.Parse(last, CultureInfo.InvariantCulture) < ids[0] && ids[0] < ids[1] && ids[1] < ids[2], string.Join(", ", ids));
        Assert.All(frames, f => Assert.Equal(topic, f!.Event));
    }

    [Fact]
    public async Task A_resume_from_an_id_the_log_no_longer_holds_gets_the_reset_event_then_live_events()
    {
        var name = await CollectionAsync();
        string last;
        await using (var first = await SseConnection.OpenAsync(server.Guest))
        {
            await SubscribeAsync(first.ClientId, name + "/*");
            await CreateAsync(name, "a");
            last = (await first.ReadAsync())!.Id;
        }

        Assert.Equal(HttpStatusCode.OK, (await server.Superuser.PatchJsonAsync("/api/settings", new { realtime = new { retentionEvents = 1 } })).Status);
        try
        {
            await CreateAsync(name, "b");
            await CreateAsync(name, "c");
            var pruner = server.Services.GetServices<IHostedService>().OfType<ChangeLogPruner>().Single();
            Assert.True(await pruner.PruneAsync(CancellationToken.None) > 0);

            await using var second = await SseConnection.OpenAsync(server.Guest, last);
            await SubscribeAsync(second.ClientId, name + "/*");
            await CreateAsync(name, "d");

            var reset = await second.ReadAsync();
            Assert.Equal(RealtimeTopics.Reset, reset!.Event);
            Assert.Equal(last, JsonNode.Parse(reset.Data)!["lastEventId"]!.GetValue<string>());

            // Then the events after the reset's id, in order: those the dispatcher had not reached yet (b, c) and d.
            var after = long.Parse(reset.Id, CultureInfo.InvariantCulture);
            string title;
            do
            {
                var next = await second.ReadAsync();
                title = Title(next);
                Assert.True(title is "b" or "c" or "d", title);
                var id = long.Parse(next!.Id, CultureInfo.InvariantCulture);
                Assert.True(id > after, $"{id} after {after}");
                after = id;
            }
            while (title != "d");
        }
        finally
        {
            await server.Superuser.PatchJsonAsync("/api/settings", new { realtime = new { retentionEvents = 100_000 } });
        }
    }

    [Fact(Timeout = 300_000)]
    public async Task A_client_that_stops_reading_is_disconnected_and_the_others_get_every_event()
    {
        var options = server.Services.GetRequiredService<IOptions<ApiOptions>>().Value;
        var capacity = options.RealtimeQueueCapacity;
        options.RealtimeQueueCapacity = 4;
        try
        {
            var name = await CollectionAsync();
            using var stalled = await StalledStreamAsync();
            var stalledId = await ReadClientIdAsync(stalled);
            await SubscribeAsync(stalledId, name + "/*");
            await using var reader = await SseConnection.OpenAsync(server.Guest);
            await SubscribeAsync(reader.ClientId, name + "/*");

            // Large events fill the stalled connection's socket buffers, then its queue; the reader keeps up meanwhile.
            var received = new List<string>();
            var created = new List<string>();
            var big = new string('x', 100_000);
            while (Registry.Find(stalledId) is not null)
            {
                Assert.True(created.Count < 2_000, "the stalled client was never disconnected");
                created.Add(await CreateAsync(name, "big", big));
                received.Add(JsonNode.Parse((await reader.ReadAsync(TimeSpan.FromSeconds(60)))!.Data)!["record"]!["id"]!.GetValue<string>());
            }

            created.Add(await CreateAsync(name, "after"));
            received.Add(JsonNode.Parse((await reader.ReadAsync())!.Data)!["record"]!["id"]!.GetValue<string>());
            Assert.Equal(created, received);

            // The server ended the stalled stream: the connection closes (or is reset, its last write having been cut off).
            var buffer = new byte[1 << 16];
            using var drain = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                while (await stalled.ReceiveAsync(buffer, SocketFlags.None, drain.Token) > 0)
                {
                }
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
            }
        }
        finally
        {
            options.RealtimeQueueCapacity = capacity;
        }
    }

    /// <summary>A raw connection with a tiny receive buffer that asks for the stream and then reads only what it is told to.</summary>
    private async Task<Socket> StalledStreamAsync()
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
        await socket.SendAsync(Encoding.ASCII.GetBytes($"GET /api/realtime HTTP/1.1\r\nHost: {server.BaseAddress.Authority}\r\nAccept: text/event-stream\r\nConnection: close\r\n\r\n"), SocketFlags.None);
        return socket;
    }

    /// <summary>Reads the response head and the PB_CONNECT frame, and no further.</summary>
    private static async Task<string> ReadClientIdAsync(Socket socket)
    {
        var text = new StringBuilder();
        var one = new byte[1];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!text.ToString().Contains("\"}\n\n", StringComparison.Ordinal))
        {
            Assert.True(await socket.ReceiveAsync(one, SocketFlags.None, deadline.Token) == 1, "the stream ended before PB_CONNECT");
            text.Append((char)one[0]);
        }

        var data = text.ToString();
        var start = data.IndexOf("\"clientId\":\"", StringComparison.Ordinal) + "\"clientId\":\"".Length;
        return data[start..data.IndexOf('"', start)];
    }

    private static string Title(SseFrame? frame) => JsonNode.Parse(frame!.Data)!["record"]!["title"]!.GetValue<string>();

    private async Task SubscribeAsync(string clientId, params string[] topics)
    {
        var (status, body) = await RealtimeTests.Subscribe(server.Guest, clientId, topics);
        Assert.True(status == HttpStatusCode.NoContent, body?.ToJsonString());
    }

    private async Task<string> CollectionAsync()
    {
        var name = HttpJson.UniqueName("resume");
        var (status, body) = await server.Superuser.PostJsonAsync("/api/collections", new JsonObject
        {
            ["name"] = name,
            ["type"] = "base",
            ["fields"] = new JsonArray(
                new JsonObject { ["name"] = "title", ["type"] = "text" },
                new JsonObject { ["name"] = "body", ["type"] = "editor" }),
            ["listRule"] = "",
        }.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        return name;
    }

    private async Task<string> CreateAsync(string collection, string title, string body = "")
    {
        var (status, created) = await server.Superuser.PostJsonAsync($"/api/collections/{collection}/records", new { title, body });
        Assert.True(status == HttpStatusCode.OK, created?.ToJsonString());
        return created!["id"]!.GetValue<string>();
    }
}

public sealed class RealtimeResumeSqliteTests(SqliteServerFixture f) : RealtimeResumeTests(f), IClassFixture<SqliteServerFixture>;

public sealed class RealtimeResumePostgresTests(PostgresServerFixture f) : RealtimeResumeTests(f), IClassFixture<PostgresServerFixture>;
