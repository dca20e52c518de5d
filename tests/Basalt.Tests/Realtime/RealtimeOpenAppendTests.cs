using System.Net;
using System.Text.Json.Nodes;
using Basalt.Realtime;
using Basalt.Storage.Tables;
using Basalt.Tests.Fixtures;
using Npgsql;

namespace Basalt.Tests.Realtime;

/// <summary>
/// A write whose change-log id is smaller than another's but whose transaction commits later (PostgreSQL hands out
/// ids at insert, not at commit) still reaches its subscribers, before the later id: the dispatcher never reads past
/// an append that is still open. SQLite commits in id order, so there the write is simply not held.
/// </summary>
public abstract class RealtimeOpenAppendTests(BasaltServerFixture server)
{
    [Fact(Timeout = 300_000)]
    public async Task An_append_that_commits_after_a_later_id_is_still_delivered_in_id_order()
    {
        var name = await OpenCollectionAsync("openappend");

        await using var sse = await SseConnection.OpenAsync(server.Guest);
        Assert.Equal(HttpStatusCode.NoContent, (await RealtimeTests.Subscribe(server.Guest, sse.ClientId, name + "/*")).Status);

        var held = "held" + Guid.NewGuid().ToString("N")[..11];
        var release = await HoldCommitAsync(held);
        string secondId;
        try
        {
            var first = server.Superuser.PostJsonAsync($"/api/collections/{name}/records", new { id = held, title = "first" });
            if (release is not null)
            {
                await WaitForHeldCommitAsync();
            }
            else
            {
                // Nothing holds the first here (SQLite): it must be answered before the second is sent, or the two
                // requests race and either may get the smaller id.
                await first;
            }

            var (secondStatus, second) = await server.Superuser.PostJsonAsync($"/api/collections/{name}/records", new { title = "second" });
            Assert.Equal(HttpStatusCode.OK, secondStatus);
            secondId = second!["id"]!.GetValue<string>();
            if (release is not null)
            {
                // Give the dispatcher the chance to (wrongly) go past the open append before it commits.
                await WaitForDispatchOfAsync(secondId);
                await release();
                release = null;
            }

            Assert.Equal(HttpStatusCode.OK, (await first).Status);
        }
        finally
        {
            if (release is not null)
            {
                await release();
            }
        }

        var (_, marker) = await server.Superuser.PostJsonAsync($"/api/collections/{name}/records", new { title = "marker" });

        var received = new List<string>();
        while (received.Count < 3)
        {
            var frame = await sse.ReadAsync(TimeSpan.FromSeconds(60)) ?? throw new InvalidOperationException("the stream ended");
            var id = JsonNode.Parse(frame.Data)!["record"]!["id"]!.GetValue<string>();
            received.Add(id);
            if (id == marker!["id"]!.GetValue<string>())
            {
                break;
            }
        }

        Assert.Equal([held, secondId, marker!["id"]!.GetValue<string>()], received);
    }

    [Fact(Timeout = 300_000)]
    public async Task A_new_subscription_skips_writes_answered_before_it_but_gets_an_older_id_that_commits_after()
    {
        var name = await OpenCollectionAsync("unsettled");

        // "open" takes its change-log id first and commits only after the subscription (SQLite: before it, as SQLite
        // commits in id order); "before" is answered before the subscription, with a larger id than "open".
        var open = "open" + Guid.NewGuid().ToString("N")[..11];
        var release = await HoldCommitAsync(open);
        await using var sse = await SseConnection.OpenAsync(server.Guest);
        string afterId;
        try
        {
            var first = server.Superuser.PostJsonAsync($"/api/collections/{name}/records", new { id = open, title = "open" });
            if (release is not null)
            {
                await WaitForHeldCommitAsync();
            }
            else
            {
                await first;
            }

            Assert.Equal(HttpStatusCode.OK, (await server.Superuser.PostJsonAsync($"/api/collections/{name}/records", new { title = "before" })).Status);
            Assert.Equal(HttpStatusCode.NoContent, (await RealtimeTests.Subscribe(server.Guest, sse.ClientId, name + "/*")).Status);
            if (release is not null)
            {
                await release();
                release = null;
            }

            Assert.Equal(HttpStatusCode.OK, (await first).Status);
            var (afterStatus, after) = await server.Superuser.PostJsonAsync($"/api/collections/{name}/records", new { title = "after" });
            Assert.Equal(HttpStatusCode.OK, afterStatus);
            afterId = after!["id"]!.GetValue<string>();
        }
        finally
        {
            if (release is not null)
            {
                await release();
            }
        }

        var received = new List<string>();
        while (received.LastOrDefault() != afterId)
        {
            var frame = await sse.ReadAsync(TimeSpan.FromSeconds(60)) ?? throw new InvalidOperationException("the stream ended");
            received.Add(JsonNode.Parse(frame.Data)!["record"]!["id"]!.GetValue<string>());
        }

        Assert.Equal(Holds ? [open, afterId] : [afterId], received);
    }

    /// <summary>A collection with a title that guests may list; returns its name.</summary>
    private Task<string> OpenCollectionAsync(string prefix) => server.Superuser.CreateOpenCollectionAsync(prefix);

    /// <summary>Whether <see cref="HoldCommitAsync"/> holds a commit here.</summary>
    protected abstract bool Holds { get; }

    /// <summary>Makes the commit of the transaction that appends <paramref name="recordId"/> wait; returns what lets it go (null: not held).</summary>
    protected abstract Task<Func<Task>?> HoldCommitAsync(string recordId);

    /// <summary>Returns once the held transaction has appended and waits in its commit.</summary>
    protected abstract Task WaitForHeldCommitAsync();

    /// <summary>Waits until the dispatcher went past the entry of <paramref name="recordId"/>, or a few seconds passed.</summary>
    private async Task WaitForDispatchOfAsync(string recordId)
    {
        var entries = await server.Services.GetRequiredService<ChangeLogStore>().ReadAsync(0, long.MaxValue, 1_000_000, CancellationToken.None);
        var entry = entries.Single(e => e.RecordId == recordId);
        var dispatcher = server.Services.GetRequiredService<RealtimeDispatcher>();
        for (var i = 0; i < 100 && dispatcher.Position < entry.Id; i++)
        {
            await Task.Delay(50);
        }
    }
}

public sealed class RealtimeOpenAppendSqliteTests(SqliteServerFixture f) : RealtimeOpenAppendTests(f), IClassFixture<SqliteServerFixture>
{
    protected override Task<Func<Task>?> HoldCommitAsync(string recordId) => Task.FromResult<Func<Task>?>(null);

    protected override Task WaitForHeldCommitAsync() => Task.CompletedTask;

    protected override bool Holds => false;
}

public sealed class RealtimeOpenAppendPostgresTests(PostgresServerFixture f) : RealtimeOpenAppendTests(f), IClassFixture<PostgresServerFixture>
{
    private const long LockKey = 13_4242;
    private readonly PostgresServerFixture _server = f;

    /// <summary>
    /// A deferred constraint trigger on <c>_changes</c> waits at COMMIT for the held record's entry until this test lets
    /// go of an advisory lock: the transaction has its id and waits to commit until released. It polls for the lock
    /// rather than waiting for it, so the commit groups' lock timeout (PostgresCommitGroups) does not end the wait: a
    /// group that gave up would rerun the create alone, with a new and larger id.
    /// </summary>
    protected override async Task<Func<Task>?> HoldCommitAsync(string recordId)
    {
        var holder = new NpgsqlConnection(_server.DatabaseConnectionString);
        await holder.OpenAsync();
        await ExecuteAsync(holder, $"""
            CREATE OR REPLACE FUNCTION test_hold_commit() RETURNS trigger AS $$
            BEGIN
              IF NEW."recordId" = '{recordId}' THEN
                WHILE NOT pg_try_advisory_xact_lock_shared({LockKey}) LOOP PERFORM pg_sleep(0.01); END LOOP;
              END IF;
              RETURN NULL;
            END $$ LANGUAGE plpgsql;
            DROP TRIGGER IF EXISTS test_hold_commit ON "_changes";
            CREATE CONSTRAINT TRIGGER test_hold_commit AFTER INSERT ON "_changes"
              DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_hold_commit();
            SELECT pg_advisory_lock({LockKey});
            """);
        return async () =>
        {
            await ExecuteAsync(holder, $"""SELECT pg_advisory_unlock({LockKey}); DROP TRIGGER IF EXISTS test_hold_commit ON "_changes";""");
            await holder.DisposeAsync();
        };
    }

    protected override bool Holds => true;

    protected override async Task WaitForHeldCommitAsync()
    {
        await using var probe = new NpgsqlConnection(_server.DatabaseConnectionString);
        await probe.OpenAsync();
        while (true)
        {
            await using var command = new NpgsqlCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'PgSleep' AND query LIKE '%COMMIT%'", probe);
            if ((long)(await command.ExecuteScalarAsync())! > 0)
            {
                return;
            }

            await Task.Delay(20);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
