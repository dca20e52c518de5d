using Basalt.Realtime;
using Basalt.Storage.Tables;
using Basalt.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Basalt.Tests.Realtime;

/// <summary>
/// How new subscriptions learn which writes past the settled head were answered before them: on PostgreSQL one read
/// serves every subscribe that arrived before it began, and a finished read serves a ticket taken before it began;
/// SQLite never reads. The reads are held at the database by a lock on the change log.
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

    private AnsweredWrites NewReader() => new(server.Services.GetRequiredService<ChangeLogStore>(), NullLogger.Instance);

    /// <summary>A transaction that holds the change log so that any read of it waits; rolled back by <see cref="ReleaseAsync"/>.</summary>
    private async Task<NpgsqlConnection> HoldChangeLogAsync()
    {
        var holder = new NpgsqlConnection(server.DatabaseConnectionString);
        await holder.OpenAsync();
        await using var command = new NpgsqlCommand("""BEGIN; LOCK TABLE "_changes" IN ACCESS EXCLUSIVE MODE;""", holder);
        await command.ExecuteNonQueryAsync();
        return holder;
    }

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
