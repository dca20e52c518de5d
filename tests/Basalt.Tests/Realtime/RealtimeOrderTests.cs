using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Basalt.Storage.Tables;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Realtime;

/// <summary>
/// Issue 13: events leave from the change log in commit order, so under concurrent writers every stream receives
/// every event once, in the order the writes committed, and all streams agree.
/// </summary>
public abstract class RealtimeOrderTests(BasaltServerFixture server)
{
    private const int Writers = 16;
    private const int PerWriter = 63;
    private const int Subscribers = 50;

    [Fact(Timeout = 600_000)]
    public async Task Every_stream_gets_every_event_once_in_commit_order_under_concurrent_writers()
    {
        var name = HttpJson.UniqueName("order");
        var (status, body) = await server.Superuser.PostJsonAsync("/api/collections", new JsonObject
        {
            ["name"] = name,
            ["type"] = "base",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "title", ["type"] = "text" }),
            ["listRule"] = "",
            ["createRule"] = "",
        }.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        var collectionId = body!["id"]!.GetValue<string>();

        var streams = new List<SseConnection>();
        var clients = new List<HttpClient>();
        try
        {
            for (var i = 0; i < Subscribers; i++)
            {
                var client = server.NewClient();
                clients.Add(client);
                var sse = await SseConnection.OpenAsync(client);
                streams.Add(sse);
                Assert.Equal(HttpStatusCode.NoContent, (await RealtimeTests.Subscribe(client, sse.ClientId, name + "/*")).Status);
            }

            var readers = streams.Select(s => ReadAsync(s, Writers * PerWriter)).ToList();
            var created = new ConcurrentBag<string>();
            await Task.WhenAll(Enumerable.Range(0, Writers).Select(async w =>
            {
                using var writer = server.NewClient();
                for (var i = 0; i < PerWriter; i++)
                {
                    var (s, record) = await writer.PostJsonAsync($"/api/collections/{name}/records", new { title = $"w{w} #{i}" });
                    Assert.True(s == HttpStatusCode.OK, record?.ToJsonString());
                    created.Add(record!["id"]!.GetValue<string>());
                }
            }));

            var committed = (await server.Services.GetRequiredService<ChangeLogStore>().ReadAsync(0, long.MaxValue, 1_000_000, CancellationToken.None))
                .Where(e => e.CollectionId == collectionId)
                .Select(e => (e.Id, e.RecordId))
                .ToList();
            Assert.Equal(created.Order(), committed.Select(e => e.RecordId).Order());
            foreach (var received in await Task.WhenAll(readers))
            {
                Assert.Equal(committed, received);
            }
        }
        finally
        {
            foreach (var sse in streams)
            {
                await sse.DisposeAsync();
            }

            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    /// <summary>The (event id, record id) of the next <paramref name="count"/> events, in the order they arrived.</summary>
    private static async Task<List<(long Id, string RecordId)>> ReadAsync(SseConnection sse, int count)
    {
        var events = new List<(long, string)>(count);
        while (events.Count < count)
        {
            var frame = await sse.ReadAsync(TimeSpan.FromSeconds(60)) ?? throw new InvalidOperationException($"stream ended after {events.Count} events");
            events.Add((long.Parse(frame.Id, System.Globalization.CultureInfo.InvariantCulture), JsonNode.Parse(frame.Data)!["record"]!["id"]!.GetValue<string>()));
        }

        return events;
    }
}

public sealed class RealtimeOrderSqliteTests(SqliteServerFixture f) : RealtimeOrderTests(f), IClassFixture<SqliteServerFixture>;

public sealed class RealtimeOrderPostgresTests(PostgresServerFixture f) : RealtimeOrderTests(f), IClassFixture<PostgresServerFixture>;
