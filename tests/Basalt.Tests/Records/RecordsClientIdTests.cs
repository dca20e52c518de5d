using System.Net;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Records;

/// <summary>
/// Creates with an id the client chose: a taken id answers 400 naming <c>id</c>, whichever way the check finds it (the
/// primary key under the default pattern, a case-insensitive comparison under any other, the constraint when two
/// creates race), and a refused create writes nothing.
/// </summary>
public abstract class RecordsClientIdTests(BasaltServerFixture fixture) : RecordsTestBase(fixture)
{
    [Fact]
    public async Task A_taken_id_under_the_default_pattern_answers_400_naming_id()
    {
        var name = HttpJson.UniqueName("cid");
        await CreateCollectionAsync(name, """[{"name":"title","type":"text"}]""");
        await CreateRecordAsync(name, new { id = "clientid0000001", title = "first" }, Guest);

        AssertError(HttpStatusCode.BadRequest, await Guest.PostJsonAsync(Records(name), new { id = "clientid0000001", title = "second" }), "id", "validation_not_unique");
        AssertError(HttpStatusCode.BadRequest, await Guest.PostJsonAsync(Records(name), new { id = "CLIENTID0000001", title = "upper" }), "id", "validation_invalid_format");

        Assert.Equal(1, await CountAsync(name));
        Assert.Equal("first", (await ViewAsync(name, "clientid0000001"))["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task Under_a_pattern_with_capitals_ids_are_compared_ignoring_case()
    {
        var name = HttpJson.UniqueName("cidcase");
        await CreateCollectionAsync(name, """
            [{"name":"id","type":"text","primaryKey":true,"required":true,"system":true,"min":3,"max":20,"pattern":"^[a-zA-Z0-9]+$","autogeneratePattern":"[a-z0-9]{15}"},
             {"name":"title","type":"text"}]
            """);
        await CreateRecordAsync(name, new { id = "MixedCase42", title = "first" }, Guest);

        AssertError(HttpStatusCode.BadRequest, await Guest.PostJsonAsync(Records(name), new { id = "mixedcase42" }), "id", "validation_not_unique");
        AssertError(HttpStatusCode.BadRequest, await Guest.PostJsonAsync(Records(name), new { id = "MixedCase42" }), "id", "validation_not_unique");
        await CreateRecordAsync(name, new { id = "OtherCase42" }, Guest);
        Assert.Equal(2, await CountAsync(name));
    }

    [Fact]
    public async Task An_auth_id_taken_in_another_auth_collection_answers_400_naming_id()
    {
        var first = HttpJson.UniqueName("cidauth");
        var second = HttpJson.UniqueName("cidauth");
        await CreateCollectionAsync(first, "[]", type: "auth");
        await CreateCollectionAsync(second, "[]", type: "auth");
        await CreateRecordAsync(first, new { id = "authclientid001", email = first + "@example.com", password = "12345678", passwordConfirm = "12345678" }, Guest);

        var taken = await Guest.PostJsonAsync(Records(second), new { id = "authclientid001", email = second + "@example.com", password = "12345678", passwordConfirm = "12345678" });

        AssertError(HttpStatusCode.BadRequest, taken, "id", "validation_not_unique");
        Assert.Equal(0, await CountAsync(second));
    }

    [Fact]
    public async Task Racing_creates_of_one_id_give_one_record_and_400s_naming_id()
    {
        var name = HttpJson.UniqueName("cidrace");
        await CreateCollectionAsync(name, """[{"name":"title","type":"text"}]""");

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Guest.PostJsonAsync(Records(name), new { id = "racingclient001", title = "t" + i })));

        Assert.Single(answers, a => a.Status == HttpStatusCode.OK);
        foreach (var refused in answers.Where(a => a.Status != HttpStatusCode.OK))
        {
            AssertError(HttpStatusCode.BadRequest, refused, "id", "validation_not_unique");
        }

        Assert.Equal(1, await CountAsync(name));
    }

    [Fact]
    public async Task A_batch_creating_an_id_twice_fails_whole_naming_id()
    {
        var (settings, _) = await Superuser.PatchJsonAsync("/api/settings", new { batch = new { enabled = true, maxRequests = 50, timeout = 3, maxBodySize = 0 } });
        Assert.Equal(HttpStatusCode.OK, settings);
        var name = HttpJson.UniqueName("cidbatch");
        await CreateCollectionAsync(name, """[{"name":"title","type":"text"}]""");

        var (status, body) = await Superuser.PostJsonAsync("/api/batch", new
        {
            requests = new[]
            {
                new { method = "POST", url = Records(name), body = new { id = "batchclientid01", title = "a" } },
                new { method = "POST", url = Records(name), body = new { id = "batchclientid01", title = "b" } },
            },
        });

        Assert.True(status == HttpStatusCode.BadRequest, body?.ToJsonString());
        var failure = body!["data"]!["requests"]!["1"]!["response"]!;
        Assert.Equal("validation_not_unique", failure["data"]!["id"]!["code"]!.GetValue<string>());
        Assert.Equal(0, await CountAsync(name));
    }

    [Fact]
    public async Task A_taken_id_beside_another_invalid_field_names_both()
    {
        var name = HttpJson.UniqueName("cidboth");
        await CreateCollectionAsync(name, """[{"name":"title","type":"text","max":5}]""");
        await CreateRecordAsync(name, new { id = "takenbothid0001", title = "a" }, Guest);

        var (status, body) = await Guest.PostJsonAsync(Records(name), new { id = "takenbothid0001", title = "far too long" });

        Assert.True(status == HttpStatusCode.BadRequest, body?.ToJsonString());
        Assert.Equal("validation_not_unique", body!["data"]!["id"]!["code"]!.GetValue<string>());
        Assert.Equal("validation_max_text_constraint", body["data"]!["title"]!["code"]!.GetValue<string>());
        Assert.Equal(1, await CountAsync(name));
    }

    [Fact]
    public async Task An_import_with_an_id_twice_reports_the_row_and_checks_the_rows_after_it()
    {
        // On PostgreSQL the second row's insert is refused by the primary key, which fails the transaction: the rows
        // after it must still be checked (a savepoint per row), not answered with a 500.
        var name = HttpJson.UniqueName("cidimport");
        await CreateCollectionAsync(name, """[{"name":"title","type":"text","max":5}]""");

        var (status, body) = await Superuser.PostJsonAsync(
            $"/api/collections/{name}/import",
            """[{"id":"importclient001","title":"a"},{"id":"importclient001","title":"b"},{"id":"importclient002","title":"too long"}]""");

        Assert.True(status == HttpStatusCode.BadRequest, body?.ToJsonString());
        var rows = body!["data"]!["rows"]!.AsArray();
        Assert.Equal(2, rows[0]!["row"]!.GetValue<int>());
        Assert.Equal("validation_not_unique", rows[0]!["errors"]!["id"]!["code"]!.GetValue<string>());
        Assert.Equal(3, rows[1]!["row"]!.GetValue<int>());
        Assert.NotNull(rows[1]!["errors"]!["title"]);
        Assert.Equal(0, await CountAsync(name));
    }
}

public sealed class RecordsClientIdSqliteTests(SqliteServerFixture f) : RecordsClientIdTests(f), IClassFixture<SqliteServerFixture>;

public sealed class RecordsClientIdPostgresTests(PostgresServerFixture f) : RecordsClientIdTests(f), IClassFixture<PostgresServerFixture>;
