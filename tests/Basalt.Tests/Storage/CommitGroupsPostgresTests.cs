using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Basalt.Collections;
using Basalt.Common;
using Basalt.Model;
using Basalt.Storage;
using Basalt.Storage.Postgres;
using Basalt.Storage.Tables;
using Basalt.Tests.Fixtures;
using Basalt.Tests.Records;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Record = Basalt.Model.Record;

namespace Basalt.Tests.Storage;

/// <summary>
/// Creates on PostgreSQL that wait together commit together (<see cref="PostgresCommitGroups"/>): one transaction for
/// a group, every create still answered, counted and logged exactly once, and a create whose write PostgreSQL refuses
/// failing alone. A test stalls one create per runner inside PostgreSQL (a trigger that polls an advisory lock the test
/// holds: not a lock wait, which a group gives up after its lock timeout): the creates sent meanwhile queue up, and the
/// release lets them through in as few groups as there are runners.
/// </summary>
public sealed class CommitGroupsPostgresTests(PostgresServerFixture f) : RecordsTestBase(f), IClassFixture<PostgresServerFixture>
{
    private List<Task<(HttpStatusCode Status, JsonNode? Body)>> _blockers = [];

    private PostgresDatabase Database => (PostgresDatabase)Server.Services.GetRequiredService<IDatabase>();

    [Fact]
    public async Task Creates_that_wait_together_commit_together_each_answered_counted_and_logged_once()
    {
        var (name, id) = await CollectionAsync();
        const int creates = 24;
        List<Task<(HttpStatusCode Status, JsonNode? Body)>> sent;
        await using (await StallBlockersAsync(name))
        {
            sent = await SendWhileGroupsWaitAsync(name, Enumerable.Range(0, creates).Select(i => (object)new { title = "t" + i }).ToList());
        }

        var answers = await Task.WhenAll(sent);
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.All(await Task.WhenAll(_blockers), a => Assert.Equal(HttpStatusCode.OK, a.Status));
        var ids = answers.Select(a => a.Body!["id"]!.GetValue<string>()).ToHashSet();
        Assert.Equal(creates, ids.Count);

        var all = creates + PostgresDatabase.CommitGroups;
        Assert.Equal(all, await Server.Services.GetRequiredService<RowCountStore>().ReadAsync(id, CancellationToken.None));
        Assert.Equal(all, await CountAsync(name));
        Assert.Equal(ids.Order(StringComparer.Ordinal), await LoggedCreatesAsync(id));

        // The runners each took one create before the slots were released, then the first free one took the rest.
        var transactions = await TransactionsAsync(name);
        Assert.InRange(transactions, 1, 2 * PostgresDatabase.CommitGroups);
        Assert.True(transactions < creates, $"{creates} creates took {transactions} transactions");
    }

    [Fact]
    public async Task A_create_refused_inside_a_group_fails_alone_and_the_others_commit()
    {
        var (name, id) = await CollectionAsync();
        var stored = Id(await CreateRecordAsync(name, new { title = "stored" }));
        var bodies = new List<object>
        {
            new { title = "a" },
            new { id = stored, title = "taken before" },
            new { id = "twiceinagroup01", title = "first" },
            new { title = "b" },
            new { id = "twiceinagroup01", title = "second" },
            new { title = "c" },
        };

        List<Task<(HttpStatusCode Status, JsonNode? Body)>> sent;
        await using (await StallBlockersAsync(name))
        {
            sent = await SendWhileGroupsWaitAsync(name, bodies);
        }

        var answers = await Task.WhenAll(sent);
        Assert.All(await Task.WhenAll(_blockers), a => Assert.Equal(HttpStatusCode.OK, a.Status));
        var refused = answers.Where(a => a.Status != HttpStatusCode.OK).ToList();
        Assert.Equal(2, refused.Count);
        Assert.All(refused, a => AssertError(HttpStatusCode.BadRequest, a, "id", "validation_not_unique"));
        Assert.Equal(HttpStatusCode.BadRequest, answers[1].Status);

        var created = answers.Where(a => a.Status == HttpStatusCode.OK).Select(a => a.Body!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(bodies.Count - 2, created.Count);
        Assert.Contains("twiceinagroup01", created);
        var all = bodies.Count - 1 + PostgresDatabase.CommitGroups;
        Assert.Equal(all, await Server.Services.GetRequiredService<RowCountStore>().ReadAsync(id, CancellationToken.None));
        Assert.Equal(all, await CountAsync(name));
        Assert.Equal(created.Append(stored).Order(StringComparer.Ordinal), await LoggedCreatesAsync(id));
        Assert.Equal("stored", (await ViewAsync(name, stored))["title"]!.GetValue<string>());
        await Server.Logs.WaitForAsync(BasaltEventIds.CommitGroupRerunAlone, e => e.Level == LogLevel.Debug && Equals(e["SqlState"], "23505"));
    }

    /// <summary>
    /// A create whose id another open transaction has inserted waits for it, but not inside a group: past the groups'
    /// lock timeout it waits alone, and the creates queued behind the groups go through meanwhile. One such create per
    /// runner stalled every create of the node until the other transaction ended (a batch request can hold one for seconds).
    /// </summary>
    [Fact]
    public async Task Creates_of_ids_held_by_an_open_transaction_stall_no_other_create()
    {
        var (name, _) = await CollectionAsync();
        var held = Enumerable.Range(0, PostgresDatabase.CommitGroups).Select(i => $"heldbyanother{i:D2}").ToList();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holder = Database.WriteAsync<int>(
            async (c, tx, ct) =>
            {
                foreach (var id in held)
                {
                    await new SqlBuilder(Database.Dialect).Append("INSERT INTO ").AppendIdentifier(name).Append(" (\"id\") VALUES (")
                        .AppendParameter(id).Append(')').ExecuteAsync(c, tx, ct);
                }

                holding.SetResult();
                await release.Task;
                throw new OperationCanceledException("rolled back on purpose");
            },
            CancellationToken.None);
        await holding.Task;

        var waiting = new List<Task<(HttpStatusCode Status, JsonNode? Body)>>();
        try
        {
            foreach (var id in held)
            {
                waiting.Add(Guest.PostJsonAsync(Records(name), new { id, title = "waits" }));
                await WaitUntilAsync(() => LongAsync($"SELECT COUNT(*) FROM pg_stat_activity WHERE \"datname\" = current_database() AND \"wait_event_type\" = 'Lock' AND \"query\" LIKE '%INSERT INTO \"{name}\"%'"), waiting.Count, waiting);
            }

            // A guard against a hang, not a timing: these need no lock the holder has.
            var others = Enumerable.Range(0, 8).Select(i => Guest.PostJsonAsync(Records(name), new { title = "free" + i })).ToList();
            var all = Task.WhenAll(others);
            Assert.Same(all, await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(30))));
            Assert.All(await all, a => Assert.Equal(HttpStatusCode.OK, a.Status));
            Assert.DoesNotContain(waiting, w => w.IsCompleted);
        }
        finally
        {
            release.TrySetResult();
            await Assert.ThrowsAsync<OperationCanceledException>(() => holder);
        }

        Assert.All(await Task.WhenAll(waiting), a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Equal(8 + held.Count, await CountAsync(name));
        await Server.Logs.WaitForAsync(BasaltEventIds.CommitGroupRerunAlone, e => e.Level == LogLevel.Information && Equals(e["SqlState"], "55P03"));
    }

    /// <summary>
    /// A unit that sent a statement before its held-back create owns an open transaction: the create commits in it, not
    /// in a group, so what the unit wrote first (here a row the change log does not see) commits with it.
    /// </summary>
    [Fact]
    public async Task A_unit_that_wrote_before_its_create_commits_both_in_its_own_transaction()
    {
        var (name, id) = await CollectionAsync();
        var collection = Server.Services.GetRequiredService<CollectionCache>().Find(name)!;
        var store = new RecordStore(Database);
        var record = new Record(collection);
        foreach (var field in collection.Fields)
        {
            record.Set(field.Name, FieldEmptyValue.Of(field));
        }

        record.Set("id", "createdlast0001");
        record.Set("title", "last");
        await Database.WriteAsync<int>(
            async (c, tx, ct) =>
            {
                await new SqlBuilder(Database.Dialect).Append("INSERT INTO ").AppendIdentifier(name)
                    .Append(" (\"id\", \"title\") VALUES ('writtenfirst001', 'first')").ExecuteAsync(c, tx, ct);
                await store.InsertAsync(record, c, tx, ct, last: true);
                return 0;
            },
            CancellationToken.None);

        Assert.Equal("first", (await ViewAsync(name, "writtenfirst001"))["title"]!.GetValue<string>());
        Assert.Equal("last", (await ViewAsync(name, "createdlast0001"))["title"]!.GetValue<string>());
        Assert.Equal(1, await TransactionsAsync(name));
        Assert.Equal(["createdlast0001"], await LoggedCreatesAsync(id));
    }

    /// <summary>
    /// A budget under 32 connections gives the groups fewer connections than <see cref="PostgresDatabase.CommitGroups"/>:
    /// as many runners as connections, so a second group waits in the queue behind a slow one rather than in the pool,
    /// whose timeout failed all of its creates.
    /// </summary>
    [Fact]
    public async Task With_one_group_connection_a_create_behind_a_slow_group_waits_for_it_and_commits()
    {
        var (name, _) = await CollectionAsync();
        var collection = Server.Services.GetRequiredService<CollectionCache>().Find(name)!;
        var small = new NpgsqlConnectionStringBuilder(Server.DatabaseConnectionString!) { MaxPoolSize = 8, Timeout = 1 };
        await using var database = new PostgresDatabase(small.ConnectionString);
        var store = new RecordStore(database);
        Task Create(string id, string title)
        {
            var record = new Record(collection);
            foreach (var field in collection.Fields)
            {
                record.Set(field.Name, FieldEmptyValue.Of(field));
            }

            record.Set("id", id);
            record.Set("title", title);
            return database.WriteAsync<int>(
                async (c, tx, ct) =>
                {
                    await store.InsertAsync(record, c, tx, ct, last: true);
                    return 0;
                },
                CancellationToken.None);
        }

        Task slow, behind;
        await using (await StallBlockersAsync(name))
        {
            slow = Create("slowgroupfirst1", "blocker");
            await WaitUntilAsync(() => StalledAsync(name), 1, []);
            behind = Create("waitsbehindit01", "behind");

            // Past the pool's timeout of a second, with time to spare.
            await Task.WhenAny(behind, Task.Delay(TimeSpan.FromSeconds(2.5)));
            Assert.False(behind.IsCompleted);
        }

        await slow;
        await behind;
        Assert.Equal(2, await CountAsync(name));
    }

    private async Task<(string Name, string Id)> CollectionAsync()
    {
        var name = HttpJson.UniqueName("cg");
        var id = (await CreateCollectionAsync(name, """[{"name":"title","type":"text"}]"""))["id"]!.GetValue<string>();
        return (name, id);
    }

    private static string Id(JsonObject record) => record["id"]!.GetValue<string>();

    /// <summary>
    /// Sends one create that blocks each group runner on the held count, waits until all runners are blocked, then sends
    /// <paramref name="bodies"/> and waits until they are all queued, so they are what the next group takes. Returns the
    /// answers of <paramref name="bodies"/>, in order; the blockers' answers must be OK once the slots are released.
    /// </summary>
    private async Task<List<Task<(HttpStatusCode Status, JsonNode? Body)>>> SendWhileGroupsWaitAsync(string name, List<object> bodies)
    {
        var blockers = new List<Task<(HttpStatusCode Status, JsonNode? Body)>>();
        for (var i = 0; i < PostgresDatabase.CommitGroups; i++)
        {
            blockers.Add(Guest.PostJsonAsync(Records(name), new { title = "blocker" + i }));
            await WaitUntilAsync(() => StalledAsync(name), i + 1, blockers);
        }

        var sent = bodies.Select(b => Guest.PostJsonAsync(Records(name), b)).ToList();
        await WaitUntilAsync(() => Task.FromResult((long)Database.QueuedCommits), bodies.Count, sent);
        _blockers = blockers;
        return sent;
    }

    private static async Task WaitUntilAsync(Func<Task<long>> probe, long atLeast, List<Task<(HttpStatusCode Status, JsonNode? Body)>> sent)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (await probe() < atLeast)
        {
            Assert.True(DateTime.UtcNow < deadline, $"never reached {atLeast}");
            Assert.DoesNotContain(sent, s => s.IsCompleted);
            await Task.Delay(10);
        }
    }

    /// <summary>Inserts into <paramref name="table"/> held in the stall trigger: the groups' runners blocked on it.</summary>
    private Task<long> StalledAsync(string table) =>
        LongAsync($"SELECT COUNT(*) FROM pg_stat_activity WHERE \"datname\" = current_database() AND \"wait_event\" = 'PgSleep' AND \"query\" LIKE '%INSERT INTO \"{table}\"%'");

    private Task<long> TransactionsAsync(string table) =>
        LongAsync($"SELECT COUNT(DISTINCT xmin::text) FROM {Database.Dialect.Quote(table)} WHERE \"title\" NOT LIKE 'blocker%'");

    private Task<List<string>> LoggedCreatesAsync(string collectionId) =>
        Database.ReadAsync(
            (c, ct) => new SqlBuilder(Database.Dialect).Append("SELECT \"recordId\" FROM \"_changes\" WHERE \"action\" = 'create' AND \"collectionId\" = ")
                .AppendParameter(collectionId).Append(" AND \"record\" NOT LIKE '%\"blocker%' ORDER BY \"recordId\" COLLATE \"C\"")
                .ReadStringsAsync(c, null, ct),
            CancellationToken.None);

    private Task<long> LongAsync(string query) =>
        Database.ReadAsync(
            async (c, ct) => Convert.ToInt64(await new SqlBuilder(Database.Dialect).Append(query).ScalarAsync(c, null, ct), CultureInfo.InvariantCulture),
            CancellationToken.None);

    /// <summary>
    /// Until disposed, an insert into <paramref name="table"/> whose title starts with "blocker" waits in a trigger that
    /// polls an advisory lock held meanwhile: the statement runs on, as a slow one would, without the lock wait that a
    /// group's lock timeout ends.
    /// </summary>
    private async Task<IAsyncDisposable> StallBlockersAsync(string table)
    {
        var key = Random.Shared.NextInt64(1, long.MaxValue).ToString(CultureInfo.InvariantCulture);
        var function = Database.Dialect.Quote(table + "_stall");
        await Database.WriteAsync<int>(
            async (c, tx, ct) =>
            {
                await new SqlBuilder(Database.Dialect).Append($"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ")
                    .Append($"WHILE NOT pg_try_advisory_xact_lock_shared({key}) LOOP PERFORM pg_sleep(0.01); END LOOP; RETURN NEW; END $$")
                    .ExecuteAsync(c, tx, ct);
                await new SqlBuilder(Database.Dialect).Append($"CREATE TRIGGER \"stall\" BEFORE INSERT ON {Database.Dialect.Quote(table)} FOR EACH ROW ")
                    .Append($"WHEN (NEW.\"title\" LIKE 'blocker%') EXECUTE FUNCTION {function}()").ExecuteAsync(c, tx, ct);
                return 0;
            },
            CancellationToken.None);

        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var unit = Database.WriteAsync<int>(
            async (c, tx, ct) =>
            {
                await new SqlBuilder(Database.Dialect).Append($"SELECT pg_advisory_xact_lock({key})").ExecuteAsync(c, tx, ct);
                holding.SetResult();
                await release.Task;
                throw new OperationCanceledException("rolled back on purpose");
            },
            CancellationToken.None);
        await holding.Task;
        return new Held(release, unit);
    }

    private sealed class Held(TaskCompletionSource release, Task unit) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            release.TrySetResult();
            await Assert.ThrowsAsync<OperationCanceledException>(() => unit);
        }
    }
}
