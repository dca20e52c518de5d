using System.Net;
using System.Text.Json.Nodes;
using Basalt.Realtime;
using Basalt.Storage;
using Basalt.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Basalt.Tests.Realtime;

/// <summary>
/// Two nodes on one PostgreSQL: a write on either node reaches the subscribers of the other, with the same rules, in
/// id order and exactly once, woken by <c>LISTEN/NOTIFY</c>; and a client that resumes on node B with the last id it
/// got from node A receives exactly what it missed.
/// </summary>
public sealed class RealtimeAcrossNodesTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private static readonly TimeSpan FrameTimeout = TimeSpan.FromSeconds(60);

    [Fact(Timeout = 300_000)]
    public async Task A_write_on_node_A_reaches_a_subscriber_on_node_B_in_order_with_its_rules()
    {
        var name = await CreateCollectionAsync("across");
        await using var sse = await SseConnection.OpenAsync(cluster.B.Guest);
        Assert.Equal(HttpStatusCode.NoContent, (await RealtimeTests.Subscribe(cluster.B.Guest, sse.ClientId, name + "/*")).Status);

        var expected = new List<string>();
        foreach (var title in new[] { "one", "secret", "two", "three" })
        {
            var id = await CreateAsync(cluster.A, name, title);
            if (title != "secret")
            {
                expected.Add(id);
            }
        }

        var received = await ReadRecordIdsAsync(sse, expected.Count);
        Assert.Equal(expected, received.Select(r => r.RecordId));
        Assert.True(received.Select(r => r.EventId).SequenceEqual(received.Select(r => r.EventId).Order()));
    }

    [Fact(Timeout = 300_000)]
    public async Task Concurrent_writers_on_both_nodes_reach_subscribers_on_both_exactly_once_in_id_order()
    {
        var name = await CreateCollectionAsync("concurrent");
        await using var onA = await SseConnection.OpenAsync(cluster.A.Guest);
        await using var onB = await SseConnection.OpenAsync(cluster.B.Guest);
        Assert.Equal(HttpStatusCode.NoContent, (await RealtimeTests.Subscribe(cluster.A.Guest, onA.ClientId, name + "/*")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await RealtimeTests.Subscribe(cluster.B.Guest, onB.ClientId, name + "/*")).Status);

        const int PerWriter = 25;
        var writers = Enumerable.Range(0, 8).Select(async w =>
        {
            var node = w % 2 == 0 ? cluster.A : cluster.B;
            var ids = new List<string>();
            for (var i = 0; i < PerWriter; i++)
            {
                ids.Add(await CreateAsync(node, name, $"w{w}-{i}"));
            }

            return ids;
        });
        var written = (await Task.WhenAll(writers)).SelectMany(ids => ids).ToHashSet();

        foreach (var sse in new[] { onA, onB })
        {
            var received = await ReadRecordIdsAsync(sse, written.Count);
            Assert.Equal(written.Count, received.Select(r => r.RecordId).Distinct().Count());
            Assert.True(written.SetEquals(received.Select(r => r.RecordId)));
            Assert.True(received.Select(r => r.EventId).SequenceEqual(received.Select(r => r.EventId).Order()), "events out of id order");
        }
    }

    [Fact(Timeout = 300_000)]
    public async Task Resuming_on_node_B_with_an_id_from_node_A_gives_exactly_the_missed_events()
    {
        var name = await CreateCollectionAsync("resume");
        long lastSeen;
        await using (var onA = await SseConnection.OpenAsync(cluster.A.Guest))
        {
            Assert.Equal(HttpStatusCode.NoContent, (await RealtimeTests.Subscribe(cluster.A.Guest, onA.ClientId, name + "/*")).Status);
            await CreateAsync(cluster.A, name, "seen-1");
            await CreateAsync(cluster.B, name, "seen-2");
            lastSeen = (await ReadRecordIdsAsync(onA, 2))[^1].EventId;
        }

        // Missed while the client had no connection: writes on both nodes, one the rules hide.
        var missed = new List<string>
        {
            await CreateAsync(cluster.A, name, "missed-1"),
            await CreateAsync(cluster.B, name, "missed-2"),
        };
        await CreateAsync(cluster.A, name, "secret");
        missed.Add(await CreateAsync(cluster.B, name, "missed-3"));

        await using var onB = await SseConnection.OpenAsync(cluster.B.Guest, lastSeen.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(HttpStatusCode.NoContent, (await RealtimeTests.Subscribe(cluster.B.Guest, onB.ClientId, name + "/*")).Status);
        var live = await CreateAsync(cluster.A, name, "live");

        var received = await ReadRecordIdsAsync(onB, missed.Count + 1);
        Assert.Equal([.. missed, live], received.Select(r => r.RecordId));
    }

    [Fact(Timeout = 300_000)]
    public async Task Resuming_on_a_node_whose_reader_is_behind_the_presented_id_neither_repeats_nor_resets()
    {
        var name = await CreateCollectionAsync("ahead");
        await using var onA = await SseConnection.OpenAsync(cluster.A.Guest);
        Assert.Equal(HttpStatusCode.NoContent, (await RealtimeTests.Subscribe(cluster.A.Guest, onA.ClientId, name + "/*")).Status);
        await CreateAsync(cluster.A, name, "first");
        var lastSeen = (await ReadRecordIdsAsync(onA, 1))[^1].EventId;

        // Whether or not B's reader has reached that id yet, B sends nothing up to it again and no PB_RESET.
        await using var onB = await SseConnection.OpenAsync(cluster.B.Guest, lastSeen.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(HttpStatusCode.NoContent, (await RealtimeTests.Subscribe(cluster.B.Guest, onB.ClientId, name + "/*")).Status);
        var next = await CreateAsync(cluster.A, name, "next");
        var frame = await onB.ReadAsync(FrameTimeout) ?? throw new InvalidOperationException("the stream ended");
        Assert.Equal(name + "/*", frame.Event);
        Assert.Equal(next, JsonNode.Parse(frame.Data)!["record"]!["id"]!.GetValue<string>());
    }

    [Fact(Timeout = 300_000)]
    public async Task The_safety_pass_puts_back_a_missing_client_row_even_when_a_stale_row_keeps_the_count_and_deletes_the_stale_one()
    {
        var name = await CreateCollectionAsync("resync");
        await using var onA = await SseConnection.OpenAsync(cluster.A.Guest);
        var nodeA = cluster.A.Services.GetRequiredService<IDatabase>().Cluster.NodeId;
        var clientKey = ClusterRealtimeBroker.KeyOf(onA.ClientId);
        var staleKey = ClusterRealtimeBroker.KeyOf("a client node A no longer holds");

        // As many rows for node A as it has clients, but one of them is not a client of A and one client has none.
        await using (var connection = new NpgsqlConnection(cluster.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                """
                DELETE FROM "_realtimeClients" WHERE "key" = @client;
                INSERT INTO "_realtimeClients" ("key", "node", "created") VALUES (@stale, @node, @created)
                """,
                connection);
            command.Parameters.AddWithValue("client", clientKey);
            command.Parameters.AddWithValue("stale", staleKey);
            command.Parameters.AddWithValue("node", nodeA);
            command.Parameters.AddWithValue("created", DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeMilliseconds());
            await command.ExecuteNonQueryAsync();
        }

        // A pass already under way (its own timer) makes this call return at once: call again until one has run.
        var broker = cluster.A.Services.GetRequiredService<ClusterRealtimeBroker>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(await ClientRowsAsync(clientKey) == 1 && await ClientRowsAsync(staleKey) == 0))
        {
            Assert.True(DateTime.UtcNow < deadline, "the safety pass did not put node A's rows right");
            await broker.ResyncAsync();
            await Task.Delay(50);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await RealtimeTests.Subscribe(cluster.B.Guest, onA.ClientId, name + "/*")).Status);
        var id = await CreateAsync(cluster.B, name, "after the pass");
        Assert.Equal(id, (await ReadRecordIdsAsync(onA, 1))[0].RecordId);
    }

    private async Task<long> ClientRowsAsync(string key)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT COUNT(*) FROM "_realtimeClients" WHERE "key" = @key""", connection);
        command.Parameters.AddWithValue("key", key);
        return (long)(await command.ExecuteScalarAsync() ?? 0L);
    }

    private async Task<string> CreateCollectionAsync(string prefix)
    {
        var name = HttpJson.UniqueName(prefix);
        var (status, body) = await cluster.A.Superuser.PostJsonAsync("/api/collections", new JsonObject
        {
            ["name"] = name,
            ["type"] = "base",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "title", ["type"] = "text" }),
            ["listRule"] = "title != 'secret'",
            ["createRule"] = "",
        }.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());

        // The collection reaches node B through its cache signal; wait for it to be usable there.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await cluster.B.Guest.GetJsonAsync($"/api/collections/{name}/records")).Status != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, "the collection did not reach node B");
            await Task.Delay(20);
        }

        return name;
    }

    private static async Task<string> CreateAsync(BasaltServerFixture node, string collection, string title)
    {
        var (status, body) = await node.Guest.PostJsonAsync($"/api/collections/{collection}/records", new { title });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        return body!["id"]!.GetValue<string>();
    }

    private static async Task<List<(long EventId, string RecordId)>> ReadRecordIdsAsync(SseConnection sse, int count)
    {
        var received = new List<(long, string)>();
        while (received.Count < count)
        {
            var frame = await sse.ReadAsync(FrameTimeout) ?? throw new InvalidOperationException("the stream ended");
            Assert.NotEqual("PB_RESET", frame.Event);
            received.Add((long.Parse(frame.Id, System.Globalization.CultureInfo.InvariantCulture), JsonNode.Parse(frame.Data)!["record"]!["id"]!.GetValue<string>()));
        }

        return received;
    }
}
