using System.Net;
using System.Text.Json.Nodes;
using Basalt.Collections;
using Basalt.Storage;
using Basalt.Storage.Tables;
using Basalt.Tests.Fixtures;
using Basalt.Tests.Records;

namespace Basalt.Tests.Storage;

/// <summary>
/// The kept row count (issue 17): the total of a list without a filter comes from <c>_counts</c>, which every write path
/// keeps exact in its own transaction (creates, deletes, batches and failed batches, the cascade, truncate, racing
/// writers); a filter, a restricting list rule or a view still counts the rows themselves.
/// </summary>
public abstract class RowCountTests(BasaltServerFixture fixture) : RecordsTestBase(fixture)
{
    private RowCountStore Counts => Server.Services.GetRequiredService<RowCountStore>();

    [Fact]
    public async Task A_new_collection_starts_at_zero_and_creates_and_deletes_move_its_count()
    {
        var (name, id) = await CollectionAsync();
        Assert.Equal(0, await Counts.ReadAsync(id, CancellationToken.None));

        var created = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            created.Add(Id(await CreateRecordAsync(name, new { title = "t" + i })));
        }

        Assert.Equal(HttpStatusCode.NoContent, (await Superuser.DeleteJsonAsync(Records(name, created[0]))).Status);
        Assert.Equal(HttpStatusCode.OK, (await Superuser.PatchJsonAsync(Records(name, created[1]), new { title = "changed" })).Status);

        await AssertExactAsync(name, id, 4);
    }

    [Fact]
    public async Task Refused_and_failed_writes_leave_the_count_alone()
    {
        var (name, id) = await CollectionAsync(extra: n => $$"""{"createRule":"title != 'no'","indexes":["CREATE UNIQUE INDEX idx_{{n}}_title ON {{n}} (title)"]}""");
        await CreateRecordAsync(name, new { title = "taken" }, Guest);

        Assert.Equal(HttpStatusCode.BadRequest, (await Guest.PostJsonAsync(Records(name), new { title = "no" })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Guest.PostJsonAsync(Records(name), new { title = "taken" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Superuser.DeleteJsonAsync(Records(name, "missingrecord01"))).Status);

        await AssertExactAsync(name, id, 1);
    }

    [Fact]
    public async Task A_batch_moves_the_count_by_its_writes_and_a_failed_batch_not_at_all()
    {
        await EnableBatchAsync();
        var (name, id) = await CollectionAsync();
        var doomed = Id(await CreateRecordAsync(name, new { title = "doomed" }));
        var kept = Id(await CreateRecordAsync(name, new { title = "kept" }));

        var (failed, _) = await Superuser.PostJsonAsync("/api/batch", new
        {
            requests = new object[]
            {
                new { method = "POST", url = Records(name), body = new { title = "rolled back" } },
                new { method = "DELETE", url = Records(name, kept) },
                new { method = "POST", url = Records(name), body = new { title = new string('x', 200) } },
            },
        });
        Assert.Equal(HttpStatusCode.BadRequest, failed);
        await AssertExactAsync(name, id, 2);

        var (status, body) = await Superuser.PostJsonAsync("/api/batch", new
        {
            requests = new object[]
            {
                new { method = "POST", url = Records(name), body = new { title = "one" } },
                new { method = "POST", url = Records(name), body = new { title = "two" } },
                new { method = "DELETE", url = Records(name, doomed) },
                new { method = "PUT", url = Records(name), body = new { id = "upsertedrecord1", title = "three" } },
            },
        });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        await AssertExactAsync(name, id, 4);
    }

    [Fact]
    public async Task Cascade_deletes_and_truncate_keep_every_count_exact()
    {
        var (parent, parentId) = await CollectionAsync();
        var (child, childId) = await CollectionAsync(
            $$"""[{"name":"title","type":"text"},{"name":"parent","type":"relation","collectionId":"{{parentId}}","cascadeDelete":true,"maxSelect":1}]""");
        var first = Id(await CreateRecordAsync(parent, new { title = "first" }));
        var second = Id(await CreateRecordAsync(parent, new { title = "second" }));
        for (var i = 0; i < 3; i++)
        {
            await CreateRecordAsync(child, new { title = "of first", parent = first });
            await CreateRecordAsync(child, new { title = "of second", parent = second });
        }

        Assert.Equal(HttpStatusCode.NoContent, (await Superuser.DeleteJsonAsync(Records(parent, first))).Status);
        await AssertExactAsync(parent, parentId, 1);
        await AssertExactAsync(child, childId, 3);

        Assert.Equal(HttpStatusCode.NoContent, (await Superuser.DeleteJsonAsync($"/api/collections/{parent}/truncate")).Status);
        await AssertExactAsync(parent, parentId, 0);
        await AssertExactAsync(child, childId, 0);
    }

    [Fact]
    public async Task Racing_creates_and_deletes_leave_the_exact_count()
    {
        var (name, id) = await CollectionAsync();
        var doomed = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            doomed.Add(Id(await CreateRecordAsync(name, new { title = "doomed" + i })));
        }

        var writes = Enumerable.Range(0, 30).Select(i => Guest.PostJsonAsync(Records(name), new { title = "racer" + i }))
            .Concat(doomed.Select(d => Guest.DeleteJsonAsync(Records(name, d))));
        var answers = await Task.WhenAll(writes);

        Assert.All(answers, a => Assert.True(a.Status is HttpStatusCode.OK or HttpStatusCode.NoContent, a.Body?.ToJsonString()));
        await AssertExactAsync(name, id, 30);
    }

    [Fact]
    public async Task Racing_creates_deletes_and_rolled_back_batches_leave_the_exact_count()
    {
        await EnableBatchAsync();
        var (name, id) = await CollectionAsync();
        var doomed = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            doomed.Add(Id(await CreateRecordAsync(name, new { title = "doomed" + i })));
        }

        // Each failing batch creates two records and deletes one before its last request fails: all of it rolls back.
        var failing = Enumerable.Range(0, 10).Select(i => Superuser.PostJsonAsync("/api/batch", new
        {
            requests = new object[]
            {
                new { method = "POST", url = Records(name), body = new { title = "rolled back a" + i } },
                new { method = "POST", url = Records(name), body = new { title = "rolled back b" + i } },
                new { method = "DELETE", url = Records(name, doomed[i]) },
                new { method = "POST", url = Records(name), body = new { title = new string('x', 200) } },
            },
        }));
        var writes = Enumerable.Range(0, 30).Select(i => Guest.PostJsonAsync(Records(name), new { title = "racer" + i }))
            .Concat(doomed.Take(5).Select(d => Guest.DeleteJsonAsync(Records(name, d))));
        var failed = Task.WhenAll(failing);
        var answers = await Task.WhenAll(writes);

        Assert.All(answers, a => Assert.True(a.Status is HttpStatusCode.OK or HttpStatusCode.NoContent, a.Body?.ToJsonString()));
        Assert.All(await failed, a => Assert.Equal(HttpStatusCode.BadRequest, a.Status));
        await AssertExactAsync(name, id, 35);
    }

    [Fact]
    public async Task A_list_rule_that_filters_rows_counts_the_rows_it_lets_through()
    {
        var (name, id) = await CollectionAsync(rules: """{"listRule":"title = 'shown'"}""");
        await CreateRecordAsync(name, new { title = "shown" });
        await CreateRecordAsync(name, new { title = "hidden" });
        await CreateRecordAsync(name, new { title = "hidden" });

        var (_, asGuest) = await Guest.GetJsonAsync(Records(name, query: "perPage=1"));

        Assert.Equal(1, asGuest!["totalItems"]!.GetValue<long>());
        Assert.Equal(3, await Counts.ReadAsync(id, CancellationToken.None));
        await AssertExactAsync(name, id, 3);
    }

    [Fact]
    public async Task A_view_counts_its_rows_and_keeps_no_count()
    {
        var (source, _) = await CollectionAsync();
        await CreateRecordAsync(source, new { title = "a" });
        await CreateRecordAsync(source, new { title = "b" });
        var view = HttpJson.UniqueName("rcview");
        var created = await CreateCollectionAsync(view, "[]", type: "view", extra: $$"""{"viewQuery":"SELECT id, title FROM {{source}}","createRule":null,"updateRule":null,"deleteRule":null}""");

        Assert.Null(await Counts.ReadAsync(Id(created), CancellationToken.None));
        Assert.Equal(2, await CountAsync(view));
    }

    [Fact]
    public async Task A_deleted_collection_leaves_no_count_and_a_missing_count_is_counted_once()
    {
        var (name, id) = await CollectionAsync();
        for (var i = 0; i < 3; i++)
        {
            await CreateRecordAsync(name, new { title = "t" + i });
        }

        var database = Server.Services.GetRequiredService<IDatabase>();
        await database.WriteAsync(async (c, tx, ct) => { await RowCountStore.ForgetAsync(id, c, tx, database.Dialect, ct); return 0; }, CancellationToken.None);
        Assert.Null(await Counts.ReadAsync(id, CancellationToken.None));
        Assert.Equal(3, await CountAsync(name));

        var counted = await Counts.TrackMissingAsync(Server.Services.GetRequiredService<CollectionCache>().All, CancellationToken.None);

        Assert.True(counted >= 1);
        await AssertExactAsync(name, id, 3);
        Assert.Equal(0, await Counts.TrackMissingAsync(Server.Services.GetRequiredService<CollectionCache>().All, CancellationToken.None));

        Assert.Equal(HttpStatusCode.NoContent, (await Superuser.DeleteJsonAsync($"/api/collections/{name}")).Status);
        Assert.Null(await Counts.ReadAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task Auth_records_with_sign_in_state_keep_their_count()
    {
        var (users, userId, client) = await CreateSignedInUserAsync();
        var collectionId = Server.Services.GetRequiredService<CollectionCache>().Find(users)!.Id;
        await CreateRecordAsync(users, new { email = "second@example.com", password = "12345678", passwordConfirm = "12345678" });
        await AssertExactAsync(users, collectionId, 2);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteJsonAsync(Records(users, userId))).Status);
        await AssertExactAsync(users, collectionId, 1);
    }

    [Fact]
    public async Task Every_page_gives_the_exact_total_whether_full_partial_or_past_the_end()
    {
        var (name, _) = await CollectionAsync();
        for (var i = 0; i < 5; i++)
        {
            await CreateRecordAsync(name, new { title = i < 3 ? "match" : "other" });
        }

        foreach (var (query, total, items) in new[]
        {
            ("perPage=2&page=1", 5L, 2), ("perPage=2&page=3", 5L, 1), ("perPage=2&page=4", 5L, 0), ("perPage=10", 5L, 5),
            ("perPage=10&filter=" + Uri.EscapeDataString("title = 'match'"), 3L, 3), ("perPage=3&filter=" + Uri.EscapeDataString("title = 'match'"), 3L, 3),
            ("perPage=2&page=9&filter=" + Uri.EscapeDataString("title = 'match'"), 3L, 0), ("perPage=10&filter=" + Uri.EscapeDataString("title = 'none'"), 0L, 0),
        })
        {
            var (status, page) = await Superuser.GetJsonAsync(Records(name, query: query));
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(total, page!["totalItems"]!.GetValue<long>());
            Assert.Equal(items, page["items"]!.AsArray().Count);
        }
    }

    /// <summary>The kept count, the unfiltered list's total and a filtered count of every row all equal <paramref name="expected"/>.</summary>
    private async Task AssertExactAsync(string name, string collectionId, long expected)
    {
        Assert.Equal(expected, await Counts.ReadAsync(collectionId, CancellationToken.None));
        Assert.Equal(expected, await CountAsync(name));
        var (status, scanned) = await Superuser.GetJsonAsync(Records(name, query: "perPage=1&filter=" + Uri.EscapeDataString("id != ''")));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(expected, scanned!["totalItems"]!.GetValue<long>());
    }

    private async Task<(string Name, string Id)> CollectionAsync(string fields = """[{"name":"title","type":"text","max":100}]""", string? rules = null, Func<string, string>? extra = null)
    {
        var name = HttpJson.UniqueName("rc");
        var created = await CreateCollectionAsync(name, fields, rules, extra: extra?.Invoke(name));
        return (name, Id(created));
    }

    private async Task EnableBatchAsync()
    {
        var (status, body) = await Superuser.PatchJsonAsync("/api/settings", new { batch = new { enabled = true, maxRequests = 50, timeout = 3, maxBodySize = 0 } });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
    }

    private static string Id(JsonObject record) => record["id"]!.GetValue<string>();
}

public sealed class RowCountSqliteTests(SqliteServerFixture f) : RowCountTests(f), IClassFixture<SqliteServerFixture>;
