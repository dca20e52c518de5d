using System.Net;
using System.Text.Json.Nodes;
using Basalt.Realtime;
using Basalt.Storage.Tables;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Realtime;

/// <summary>
/// While no client is connected, the dispatcher moves past the change log without reading it (each write would
/// otherwise cost every node a read nobody needs); a client that connects afterwards gets the next write, and one
/// that resumes from before the unread writes is replayed them from the log.
/// </summary>
public abstract class RealtimeIdleDispatchTests(BasaltServerFixture server)
{
    [Fact(Timeout = 120_000)]
    public async Task With_no_client_connected_nothing_is_read_and_the_writes_are_still_replayed_and_followed()
    {
        var name = await server.Superuser.CreateOpenCollectionAsync("idle");
        var registry = server.Services.GetRequiredService<RealtimeClientRegistry>();
        var dispatcher = server.Services.GetRequiredService<RealtimeDispatcher>();
        var log = server.Services.GetRequiredService<ChangeLogStore>();
        await RealtimeTests.WaitUntil(() => registry.IsEmpty);

        // A client that saw everything up to here, then left.
        var lastSeen = (await log.BoundsAsync(CancellationToken.None)).Head;
        await RealtimeTests.WaitUntil(() => dispatcher.Position >= lastSeen);
        var read = dispatcher.EntriesRead;
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await server.Superuser.PostJsonAsync($"/api/collections/{name}/records", new { title = "unheard " + i })).Status);
        }

        var head = (await log.BoundsAsync(CancellationToken.None)).Head;
        await RealtimeTests.WaitUntil(() => dispatcher.Position >= head);
        Assert.Equal(read, dispatcher.EntriesRead);

        await using var resumed = await SseConnection.OpenAsync(server.Guest, lastEventId: lastSeen.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(HttpStatusCode.NoContent, (await RealtimeTests.Subscribe(server.Guest, resumed.ClientId, name + "/*")).Status);
        for (var i = 0; i < 5; i++)
        {
            var frame = await resumed.ReadAsync(TimeSpan.FromSeconds(30));
            Assert.NotNull(frame);
            Assert.Equal("unheard " + i, JsonNode.Parse(frame.Data)!["record"]!["title"]!.GetValue<string>());
        }

        Assert.Equal(HttpStatusCode.OK, (await server.Superuser.PostJsonAsync($"/api/collections/{name}/records", new { title = "heard" })).Status);
        var live = await resumed.ReadAsync(TimeSpan.FromSeconds(30));
        Assert.NotNull(live);
        Assert.Equal("heard", JsonNode.Parse(live.Data)!["record"]!["title"]!.GetValue<string>());
        Assert.True(dispatcher.EntriesRead > read, "a connected client's write is read");
    }
}

public sealed class RealtimeIdleDispatchSqliteTests(SqliteServerFixture f) : RealtimeIdleDispatchTests(f), IClassFixture<SqliteServerFixture>;

public sealed class RealtimeIdleDispatchPostgresTests(PostgresServerFixture f) : RealtimeIdleDispatchTests(f), IClassFixture<PostgresServerFixture>;
