using System.Net;
using Basalt.Realtime;
using Basalt.Storage.Tables;
using Basalt.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Basalt.Tests.Realtime;

/// <summary>
/// How new subscriptions learn which writes past the settled head were answered before them: on PostgreSQL one read
/// serves every subscribe that arrived before it began, a finished read serves a ticket taken before it began, and a
/// subscribe that adds no topic reads nothing; SQLite never reads. The reads are held at the database by a lock on the change log.
/// </summary>
public sealed class AnsweredWritesSqliteTests(SqliteServerFixture server) : IClassFixture<SqliteServerFixture>
{
    [Fact]
    public async Task Nothing_is_read()
    {
        var reader = new AnsweredWrites(server.Services.GetRequiredService<ChangeLogStore>(), NullLogger.Instance);

        var read = reader.ReadAsync(reader.Ticket);

        Assert.True(read.IsCompletedSuccessfully);
        Assert.Equal(0, (await read).Count);
    }
}

/// <inheritdoc cref="AnsweredWritesSqliteTests"/>
public sealed class AnsweredWritesPostgresTests(PostgresServerFixture server) : IClassFixture<PostgresServerFixture>
{

    [Fact(Timeout = 120_000)]
    public async Task Subscribes_that_arrive_while_a_read_is_under_way_share_the_next_one()
    {
        var reader = NewReader();
        await using var holder = await HoldChangeLogAsync();
        var first = reader.ReadAsync(reader.Ticket);
        await WaitForReadsAtDatabaseAsync(1);

        var burst = Enumerable.Range(0, 20).Select(_ => reader.ReadAsync(reader.Ticket)).ToList();
        await Task.Delay(200);

        Assert.Equal(1, await ReadsAtDatabaseAsync());
        Assert.All(burst, read => Assert.Same(burst[0], read));
        Assert.DoesNotContain(first, burst);
        await ReleaseAsync(holder);
        await Task.WhenAll(burst.Append(first)).WaitAsync(TimeSpan.FromSeconds(60));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_ticket_is_served_by_a_finished_read_begun_after_it_not_by_the_one_under_way()
    {
        var reader = NewReader();
        var ticket = reader.Ticket;
        var finished = await reader.ReadAsync(ticket);
        await using var holder = await HoldChangeLogAsync();
        var running = reader.ReadAsync(reader.Ticket);
        await WaitForReadsAtDatabaseAsync(1);

        var again = reader.ReadAsync(ticket);

        Assert.True(again.IsCompletedSuccessfully, "a read already done after the ticket waits for the next");
        Assert.Same(finished, await again);
        await ReleaseAsync(holder);
        await running.WaitAsync(TimeSpan.FromSeconds(60));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_subscribe_that_adds_no_topic_reads_nothing_and_one_that_adds_one_reads()
    {
        await using var sse = await SseConnection.OpenAsync(server.Guest);
        Assert.Equal(HttpStatusCode.NoContent, (await RealtimeTests.Subscribe(server.Guest, sse.ClientId, "answered_a/*", "answered_b/*")).Status);
        await using var holder = await HoldChangeLogAsync();

        // The same topics, fewer, none: a read would wait on the lock (until the read deadline gives it up), so none
        // may show at the database before the answer.
        foreach (var topics in new[] { ["answered_b/*", "answered_a/*"], ["answered_a/*"], Array.Empty<string>() })
        {
            var subscribe = RealtimeTests.Subscribe(server.Guest, sse.ClientId, topics);
            while (!subscribe.IsCompleted)
            {
                Assert.Equal(0, await ReadsAtDatabaseAsync());
                await Task.WhenAny(subscribe, Task.Delay(20));
            }

            var (status, body) = await subscribe;
            Assert.True(status == HttpStatusCode.NoContent, body?.ToJsonString());
        }

        var adding = RealtimeTests.Subscribe(server.Guest, sse.ClientId, "answered_c/*");
        await WaitForReadsAtDatabaseAsync(1);
        Assert.False(adding.IsCompleted);
        await ReleaseAsync(holder);
        Assert.Equal(HttpStatusCode.NoContent, (await adding.WaitAsync(TimeSpan.FromSeconds(60))).Status);
    }

    private AnsweredWrites NewReader() => new(server.Services.GetRequiredService<ChangeLogStore>(), NullLogger.Instance);

    /// <summary>A transaction that holds the change log so that any read of it waits; rolled back by <see cref="ReleaseAsync"/>.</summary>
    private Task<NpgsqlConnection> HoldChangeLogAsync() =>
        PostgresTableLock.HoldAsync(server.DatabaseConnectionString!, "_changes");

    private static async Task ReleaseAsync(NpgsqlConnection holder)
    {
        await using var command = new NpgsqlCommand("ROLLBACK", holder);
        await command.ExecuteNonQueryAsync();
    }

    private async Task WaitForReadsAtDatabaseAsync(int count)
    {
        while (await ReadsAtDatabaseAsync() < count)
        {
            await Task.Delay(20);
        }
    }

    /// <summary>The reads of committed runs waiting on the change log's lock.</summary>
    private async Task<long> ReadsAtDatabaseAsync()
    {
        await using var probe = new NpgsqlConnection(server.DatabaseConnectionString);
        await probe.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%ROW_NUMBER()%'", probe);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
