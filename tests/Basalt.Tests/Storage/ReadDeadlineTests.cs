using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
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
using Npgsql;

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

        // SQLite: one per core (half its readers), as reads run in this process, and all clients three quarters of the
        // readers. PostgreSQL: an eighth of the read pool, and all clients three quarters of it; this fixture's budget of
        // 24 connections leaves 17 to reads (the write pool has 6, the SQL console 1).
        var readers = Math.Max(4, Environment.ProcessorCount * 2);
        var (perClient, all) = (Math.Max(2, Environment.ProcessorCount), readers - Math.Max(1, readers / 4));
        if (database is PostgresDatabase postgres)
        {
            Assert.Equal(17, postgres.ReadConnections);
            (perClient, all) = (2, 13);
        }

        var api = Server.Services.GetRequiredService<IOptions<ApiOptions>>().Value;
        Assert.Equal((perClient, all), (api.MaxConcurrentReadsPerClient, api.MaxConcurrentClientReads));
        Assert.True(all < Readers(database), "no turns are left for superusers");

        var set = new ApiOptions();
        new BasaltOptions { MaxConcurrentReadsPerClient = 3, MaxConcurrentClientReads = 5 }.ApplyTo(set, database);
        Assert.Equal((3, 5), (set.MaxConcurrentReadsPerClient, set.MaxConcurrentClientReads));
    }

    [Fact]
    public async Task Hostile_guests_of_many_addresses_leave_readers_for_superusers()
    {
        var (a, plain) = await SeedHostileAsync();
        await using var stalled = await StallOnPostgresAsync(a);
        var api = Server.Services.GetRequiredService<IOptions<ApiOptions>>().Value;

        // Enough addresses that their turns alone would take every reader of the database.
        var addresses = (Readers(Server.Services.GetRequiredService<IDatabase>()) / api.MaxConcurrentReadsPerClient) + 1;
        var hostile = await HoldTurnsAsync(a, Enumerable.Range(1, addresses).Select(i => $"198.51.100.{i}"), api.MaxConcurrentReadsPerClient + 1);

        var clock = Stopwatch.StartNew();
        var (status, _) = await Superuser.GetJsonAsync(Records(plain));
        var elapsed = clock.Elapsed;
        await AssertRefusedAsync(hostile);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(elapsed < Deadline / 2, $"a superuser's read waited {elapsed} behind {addresses} hostile addresses");
    }

    [Fact]
    public async Task Hostile_guests_of_many_addresses_at_their_limit_leave_a_turn_for_a_new_clients_first_read()
    {
        var (a, plain) = await SeedHostileAsync();
        await using var stalled = await StallOnPostgresAsync(a);
        var api = Server.Services.GetRequiredService<IOptions<ApiOptions>>().Value;
        var readers = Readers(Server.Services.GetRequiredService<IDatabase>());

        // As many addresses as the turns kept for first reads, each allowed enough reads that together they would take
        // every reader of the database; whatever order their reads come in, one turn stays for a client running none.
        var addresses = ClientReadSlots.Reserve(api.MaxConcurrentClientReads);
        var perClient = api.MaxConcurrentReadsPerClient;
        api.MaxConcurrentReadsPerClient = (readers + addresses - 1) / addresses;
        try
        {
            var hostile = await HoldTurnsAsync(a, Enumerable.Range(1, addresses).Select(i => $"203.0.113.{i}"), api.MaxConcurrentReadsPerClient + 1);

            var clock = Stopwatch.StartNew();
            var (status, body) = await GetAsAsync(Records(plain), "192.0.2.200");
            var elapsed = clock.Elapsed;
            await AssertRefusedAsync(hostile);
            Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
            Assert.True(elapsed < Deadline / 2, $"a new client's first read waited {elapsed} behind {addresses} hostile addresses");
        }
        finally
        {
            api.MaxConcurrentReadsPerClient = perClient;
        }
    }

    [Fact]
    public async Task Ipv6_addresses_of_one_64_share_their_turns_and_of_another_64_do_not()
    {
        var (a, plain) = await SeedHostileAsync();
        await using var stalled = await StallOnPostgresAsync(a);
        var api = Server.Services.GetRequiredService<IOptions<ApiOptions>>().Value;
        var hostile = await HoldTurnsAsync(a, ["2001:db8:5:1::1"], api.MaxConcurrentReadsPerClient);
        var sharing = Server.Services.GetRequiredService<ClientReadSlots>().Running("2001:db8:5:1:ffff:ffff:ffff:ffff");

        var clock = Stopwatch.StartNew();
        var (sameStatus, _) = await GetAsAsync(Records(plain), "2001:db8:5:1::2");
        var same = clock.Elapsed;
        clock.Restart();
        var (otherStatus, _) = await GetAsAsync(Records(plain), "2001:db8:5:2::1");
        var other = clock.Elapsed;
        await AssertRefusedAsync(hostile);

        Assert.Equal(api.MaxConcurrentReadsPerClient, sharing);
        Assert.True(same >= Deadline / 2 || sameStatus == HttpStatusCode.TooManyRequests, $"an address of the same /64 did not wait for a turn ({same}, {sameStatus})");
        Assert.Equal(HttpStatusCode.OK, otherStatus);
        Assert.True(other < Deadline / 2, $"an address of another /64 waited {other}");
    }

    [Fact]
    public async Task Guests_who_never_read_their_answers_hold_no_turn_while_it_is_written()
    {
        // Answers of 6 MB, more than the server's and the socket's buffers (Linux sends from at most 4 MB): writing
        // one waits for its client.
        var big = HttpJson.UniqueName("big");
        await CreateCollectionAsync(big, """[{"name":"blob","type":"json","maxSize":1000000}]""");
        var blob = new string('x', 500_000);
        for (var i = 0; i < 12; i++)
        {
            await CreateRecordAsync(big, new { blob });
        }

        var plain = HttpJson.UniqueName("plain");
        await CreateCollectionAsync(plain, """[{"name":"t","type":"text"}]""");
        await CreateRecordAsync(plain, new { t = "x" });
        var (patched, settings) = await Superuser.PatchJsonAsync("/api/settings", """{"trustedProxy": {"headers": ["X-Forwarded-For"]}}""");
        Assert.True(patched == HttpStatusCode.OK, settings?.ToJsonString());

        // As many addresses as all clients' turns (two here), each asking for the whole list and reading only its first bytes.
        var api = Server.Services.GetRequiredService<IOptions<ApiOptions>>().Value;
        var all = api.MaxConcurrentClientReads;
        api.MaxConcurrentClientReads = 2;
        var stalled = new List<Socket>();
        try
        {
            for (var i = 1; i <= api.MaxConcurrentClientReads; i++)
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
                stalled.Add(socket);
                await socket.ConnectAsync(Guest.BaseAddress!.Host, Guest.BaseAddress.Port);
                await socket.SendAsync(System.Text.Encoding.ASCII.GetBytes(
                    $"GET {Records(big, query: "perPage=12")} HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 198.51.100.{i}\r\n\r\n"));
            }

            foreach (var socket in stalled)
            {
                var first = new byte[12];
                Assert.True(await socket.ReceiveAsync(first) > 0);
                Assert.StartsWith("HTTP/1.1 200", System.Text.Encoding.ASCII.GetString(first), StringComparison.Ordinal);
            }

            var slots = Server.Services.GetRequiredService<ClientReadSlots>();
            var until = DateTime.UtcNow + Deadline;
            while (slots.RunningInAll > 0 && DateTime.UtcNow < until)
            {
                await Task.Delay(10);
            }

            var clock = Stopwatch.StartNew();
            var (status, body) = await GetAsAsync(Records(plain), "192.0.2.201");
            var elapsed = clock.Elapsed;
            Assert.Equal(0, slots.RunningInAll);
            Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
            Assert.True(elapsed < Deadline / 2, $"a new client's read waited {elapsed} behind answers no one reads");
        }
        finally
        {
            api.MaxConcurrentClientReads = all;
            foreach (var socket in stalled)
            {
                socket.Dispose();
            }
        }
    }

    /// <summary>The readers of the database: SQLite's reader connections, PostgreSQL's read pool.</summary>
    private static int Readers(IDatabase database) => database switch
    {
        PostgresDatabase postgres => postgres.ReadConnections,
        Basalt.Storage.Sqlite.SqliteDatabase sqlite => sqlite.Readers,
        _ => throw new InvalidOperationException(database.GetType().Name),
    };

    /// <summary>A collection whose list is slow for guests, one that is cheap to list, and clients told apart by <c>X-Forwarded-For</c>.</summary>
    private async Task<(string Slow, string Cheap)> SeedHostileAsync()
    {
        var (a, _) = await SeedAsync(listRule: "@collection.B.u ?~ t");
        var plain = HttpJson.UniqueName("plain");
        await CreateCollectionAsync(plain, """[{"name":"t","type":"text"}]""");
        await CreateRecordAsync(plain, new { t = "x" });
        var (status, body) = await Superuser.PatchJsonAsync("/api/settings", """{"trustedProxy": {"headers": ["X-Forwarded-For"]}}""");
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        return (a, plain);
    }

    /// <summary>
    /// On PostgreSQL, holds <paramref name="table"/> locked so that its slow lists wait on the lock until their deadline
    /// instead of running: each running one takes a core of PostgreSQL's, and on two cores the cheap read a test times
    /// would wait for the CPU, not for a turn. SQLite's reads are timed as they run.
    /// </summary>
    private async Task<NpgsqlConnection?> StallOnPostgresAsync(string table) =>
        Server.Services.GetRequiredService<IDatabase>() is PostgresDatabase
            ? await PostgresTableLock.HoldAsync(Server.DatabaseConnectionString!, table)
            : null;

    /// <summary>Sends <paramref name="each"/> slow lists from every address and waits until all the turns they may take are taken.</summary>
    private async Task<List<Task<(HttpStatusCode, JsonNode?)>>> HoldTurnsAsync(string slow, IEnumerable<string> addresses, int each)
    {
        var ips = addresses.ToList();
        var hostile = ips.SelectMany(ip => Enumerable.Range(0, each).Select(_ => GetAsAsync(Records(slow, query: "skipTotal=1"), ip))).ToList();
        var api = Server.Services.GetRequiredService<IOptions<ApiOptions>>().Value;
        var all = api.MaxConcurrentClientReads;
        var expected = Math.Min(ips.Count * Math.Min(each, api.MaxConcurrentReadsPerClient), all - ClientReadSlots.Reserve(all));
        var slots = Server.Services.GetRequiredService<ClientReadSlots>();
        var until = DateTime.UtcNow + Deadline;
        while (slots.RunningInAll < expected && DateTime.UtcNow < until)
        {
            await Task.Delay(10);
        }

        var taken = slots.RunningInAll;
        if (taken < expected)
        {
            await Task.WhenAll(hostile);
            Assert.Fail($"the hostile reads took {taken} turns, not {expected}");
        }

        return hostile;
    }

    private static async Task AssertRefusedAsync(List<Task<(HttpStatusCode, JsonNode?)>> hostile)
    {
        foreach (var (status, body) in await Task.WhenAll(hostile))
        {
            Assert.True(status is HttpStatusCode.BadRequest or HttpStatusCode.TooManyRequests, body?.ToJsonString());
        }
    }

    private async Task<(HttpStatusCode, JsonNode?)> GetAsAsync(string url, string ip)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("X-Forwarded-For", ip);
        using var response = await Guest.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
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

/// <summary>On a budget of 24 connections (17 for reads), so filling the read pool takes a few dozen slow reads, not a hundred.</summary>
public sealed class ShortReadTimeoutPostgresFixture : ShortReadTimeout
{
    protected override StorageKind Kind => StorageKind.Postgres;

    protected override async Task<string> CreateDatabaseAsync() => await base.CreateDatabaseAsync() + ";Maximum Pool Size=24";
}

public sealed class ReadDeadlineSqliteTests(ShortReadTimeoutSqliteFixture f) : ReadDeadlineTests(f), IClassFixture<ShortReadTimeoutSqliteFixture>;

public sealed class ReadDeadlinePostgresTests(ShortReadTimeoutPostgresFixture f) : ReadDeadlineTests(f), IClassFixture<ShortReadTimeoutPostgresFixture>;
