using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Basalt.Realtime;
using Basalt.Storage.Tables;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Realtime;

/// <summary>
/// A replay goes at the pace its peer reads, so the pruner may delete entries it has not read yet: the client then gets
/// the events it was sent so far and a PB_RESET, never a stream with a hole in it.
/// </summary>
public abstract class RealtimeReplayPruneTests(BasaltServerFixture server)
{
    [Fact(Timeout = 600_000)]
    public async Task Entries_pruned_under_a_slow_replay_end_it_with_a_reset_not_a_hole()
    {
        var name = await server.Superuser.CreateOpenCollectionAsync("pruned");
        var log = server.Services.GetRequiredService<ChangeLogStore>();
        var from = (await log.BoundsAsync(CancellationToken.None)).Head;

        // More than one page of the log (RealtimeDispatcher.PageSize), so the replay reads it in two statements.
        const int writers = 8;
        var perWriter = (RealtimeDispatcher.PageSize / writers) + 10;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(async w =>
        {
            for (var i = 0; i < perWriter; i++)
            {
                var (s, created) = await server.Superuser.PostJsonAsync($"/api/collections/{name}/records", new { title = $"{w}-{i}" });
                Assert.True(s == HttpStatusCode.OK, created?.ToJsonString());
            }
        }));
        var upTo = (await log.BoundsAsync(CancellationToken.None)).Head;

        // A client whose backlog holds one frame and that has no connection yet: the replay stops after its first frame.
        using var client = new RealtimeClient("replaypruneclient", "127.0.0.1", queueCapacity: 1);
        Assert.True(client.TryBind(null, [RealtimeSubscription.TryParse(name + "/*", out _)!]));
        var replay = server.Services.GetRequiredService<RealtimeReplay>().RunAsync(client, from, upTo);
        await RealtimeTests.WaitUntil(() => client.Queued == 1);

        // The pruner overtakes it: everything but the newest 20 entries goes.
        await log.PruneAsync(0, 20, CancellationToken.None);
        var pruned = (await log.BoundsAsync(CancellationToken.None)).PrunedThrough;

        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        client.Attach(pipe.Writer);
        await replay;
        client.Detach();
        await pipe.Writer.CompleteAsync();
        var text = Encoding.UTF8.GetString((await pipe.Reader.ReadAsync()).Buffer);

        var frames = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(f => SseFrame.Parse(f + "\n\n")).ToList();
        var events = frames.TakeWhile(f => f.Event != RealtimeTopics.Reset).Select(f => long.Parse(f.Id, CultureInfo.InvariantCulture)).ToList();
        Assert.True(events.Count > 0 && events.SequenceEqual(events.Order()), string.Join(", ", events));
        Assert.True(events.All(id => id > from && id <= pruned), $"pruned through {pruned}, yet sent {string.Join(", ", events.Where(id => id > pruned))}");
        Assert.Equal(RealtimeTopics.Reset, frames[events.Count].Event);
        Assert.Equal(events.Count + 1, frames.Count);
    }
}

public sealed class RealtimeReplayPruneSqliteTests(SqliteServerFixture f) : RealtimeReplayPruneTests(f), IClassFixture<SqliteServerFixture>;

public sealed class RealtimeReplayPrunePostgresTests(PostgresServerFixture f) : RealtimeReplayPruneTests(f), IClassFixture<PostgresServerFixture>;
