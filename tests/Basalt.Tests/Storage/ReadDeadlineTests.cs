using System.Diagnostics;
using System.Net;
using Basalt.Api;
using Basalt.Collections;
using Basalt.Errors;
using Basalt.Hosting;
using Basalt.Storage;
using Basalt.Storage.Postgres;
using Basalt.Storage.Tables;
using Basalt.Tests.Fixtures;
using Basalt.Tests.Records;
using Microsoft.Extensions.Options;

namespace Basalt.Tests.Storage;

/// <summary>
/// Every read has a deadline (<see cref="BasaltOptions.ReadTimeout"/>, one second here): a statement that would run for
/// minutes is interrupted and answered 400, and hostile guests of one IP cannot hold every database reader.
/// </summary>
public abstract class ReadDeadlineTests(BasaltServerFixture fixture) : RecordsTestBase(fixture)
{
    private static readonly TimeSpan Deadline = ShortReadTimeout.Deadline;

    /// <summary>
    /// Two collections of 20,000 rows whose texts never contain each other, so <c>@collection.b.u ?~ t</c> compares every
    /// pair (400 million LIKEs) whatever plan the database picks.
    /// </summary>
    private async Task<(string A, string B)> SeedAsync(string? listRule = null)
    {
        var a = HttpJson.UniqueName("costa");
        var b = HttpJson.UniqueName("costb");
        await CreateCollectionAsync(b, """[{"name":"u","type":"text"}]""");
        await CreateCollectionAsync(a, """[{"name":"t","type":"text"}]""", listRule is null ? null : $$"""{"listRule":{{System.Text.Json.JsonSerializer.Serialize(listRule.Replace("B", b, StringComparison.Ordinal))}}}""");
        var database = Server.Services.GetRequiredService<IDatabase>();
        foreach (var (table, column, prefix) in new[] { (a, "t", "a"), (b, "u", "b") })
        {
            var sql = $"""
                WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 20000)
                INSERT INTO "{table}" (id, "{column}") SELECT '{prefix}' || CAST(100000000000000 + i AS TEXT), '{prefix}x' || CAST(i AS TEXT) FROM s
                """;
            await database.WriteAsync(
                async (connection, transaction, ct) =>
                {
                    await using var command = connection.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = sql;
                    var inserted = await command.ExecuteNonQueryAsync(ct);

                    // Rows written by raw SQL pass by the kept row count: count the table again, as an operator would.
                    await RowCountStore.TrackAsync(Server.Services.GetRequiredService<CollectionCache>().Find(table)!, connection, transaction, database.Dialect, ct);
                    return inserted;
                },
                CancellationToken.None);
        }

        Assert.Equal(20000, await CountAsync(b));
        return (a, b);
    }

    [Fact]
    public async Task A_read_past_its_deadline_is_interrupted_and_answered_400()
    {
        var (a, b) = await SeedAsync();
        var clock = Stopwatch.StartNew();
        var (status, body) = await Superuser.GetJsonAsync(Records(a, query: "skipTotal=1&filter=" + Uri.EscapeDataString($"@collection.{b}.u ?~ t")));
        var elapsed = clock.Elapsed;
        Assert.True(status == HttpStatusCode.BadRequest, body?.ToJsonString());
        Assert.Equal(ApiError.TookTooLong, body!["message"]!.GetValue<string>());
        Assert.True(elapsed < Deadline + TimeSpan.FromSeconds(2), $"answered after {elapsed}");

        var (after, list) = await Superuser.GetJsonAsync(Records(a, query: "perPage=1"));
        Assert.Equal(HttpStatusCode.OK, after);
        Assert.Equal(20000, list!["totalItems"]!.GetValue<int>());
    }

    [Fact]
    public async Task Hostile_guests_of_one_ip_leave_readers_for_everyone_else()
    {
        var (a, _) = await SeedAsync(listRule: "@collection.B.u ?~ t");
        var plain = HttpJson.UniqueName("plain");
        await CreateCollectionAsync(plain, """[{"name":"t","type":"text"}]""");
        await CreateRecordAsync(plain, new { t = "x" });

        // More than the guest's turns, so some wait for one.
        var turns = Math.Max(1, Server.Services.GetRequiredService<IOptions<ApiOptions>>().Value.MaxConcurrentReadsPerClient);
        var hostile = Enumerable.Range(0, turns + 2).Select(_ => Guest.GetJsonAsync(Records(a, query: "skipTotal=1"))).ToList();

        // Once the guest's turns are all taken, ask for something cheap.
        var slots = Server.Services.GetRequiredService<ClientReadSlots>();
        var until = DateTime.UtcNow + Deadline;
        while (slots.Running("127.0.0.1") < Math.Min(turns, hostile.Count) && DateTime.UtcNow < until)
        {
            await Task.Delay(10);
        }

        var clock = Stopwatch.StartNew();
        var (status, _) = await Superuser.GetJsonAsync(Records(plain));
        var elapsed = clock.Elapsed;
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(elapsed < Deadline / 2, $"a cheap read waited {elapsed} behind hostile guests");

        foreach (var (hostileStatus, body) in await Task.WhenAll(hostile))
        {
            Assert.True(hostileStatus is HttpStatusCode.BadRequest or HttpStatusCode.TooManyRequests, body?.ToJsonString());
        }
    }

    [Fact]
    public void A_client_gets_the_databases_share_of_readers_unless_the_host_sets_it()
    {
        var database = Server.Services.GetRequiredService<IDatabase>();

        // SQLite: one per core (half its readers), as reads run in this process. PostgreSQL: an eighth of the read pool,
        // 74 connections of the default budget of 100 (the write pool has 25, the SQL console 1).
        var expected = Math.Max(2, Environment.ProcessorCount);
        if (database is PostgresDatabase postgres)
        {
            Assert.Equal(74, postgres.ReadConnections);
            expected = 9;
        }

        Assert.Equal(expected, Server.Services.GetRequiredService<IOptions<ApiOptions>>().Value.MaxConcurrentReadsPerClient);

        var set = new ApiOptions();
        new BasaltOptions { MaxConcurrentReadsPerClient = 3 }.ApplyTo(set, database);
        Assert.Equal(3, set.MaxConcurrentReadsPerClient);
    }
}

/// <summary>A server whose reads have a one-second deadline.</summary>
public abstract class ShortReadTimeout : BasaltServerFixture
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(1);

    protected override void Configure(BasaltOptions options) => options.ReadTimeout = Deadline;
}

public sealed class ShortReadTimeoutSqliteFixture : ShortReadTimeout
{
    protected override StorageKind Kind => StorageKind.Sqlite;
}

public sealed class ShortReadTimeoutPostgresFixture : ShortReadTimeout
{
    protected override StorageKind Kind => StorageKind.Postgres;
}

public sealed class ReadDeadlineSqliteTests(ShortReadTimeoutSqliteFixture f) : ReadDeadlineTests(f), IClassFixture<ShortReadTimeoutSqliteFixture>;

public sealed class ReadDeadlinePostgresTests(ShortReadTimeoutPostgresFixture f) : ReadDeadlineTests(f), IClassFixture<ShortReadTimeoutPostgresFixture>;
