using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Records;

/// <summary>Create, view, update and delete over HTTP for every field type, with modifiers and form bodies.</summary>
public abstract partial class RecordsCrudTests(BasaltServerFixture fixture) : RecordsTestBase(fixture)
{
    private const string Autodates = """{"name":"created","type":"autodate","onCreate":true},{"name":"updated","type":"autodate","onCreate":true,"onUpdate":true}""";

    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z$")]
    private static partial Regex DateRegex();

    [Fact]
    public async Task Create_view_update_delete_round_trip()
    {
        var name = HttpJson.UniqueName("posts");
        var collection = await CreateCollectionAsync(name, $$"""[{"name":"title","type":"text"},{{Autodates}}]""");

        var created = await CreateRecordAsync(name, new { title = "Hello" }, Guest);
        var id = created["id"]!.GetValue<string>();
        Assert.Matches("^[a-z0-9]{15}$", id);
        Assert.Equal("Hello", created["title"]!.GetValue<string>());
        Assert.Equal(collection["id"]!.GetValue<string>(), created["collectionId"]!.GetValue<string>());
        Assert.Equal(name, created["collectionName"]!.GetValue<string>());
        Assert.Matches(DateRegex(), created["created"]!.GetValue<string>());
        Assert.Null(created["expand"]);

        var viewed = await ViewAsync(name, id);
        Assert.Equal("Hello", viewed["title"]!.GetValue<string>());

        var (status, updated) = await Guest.PatchJsonAsync(Records(name, id), new { title = "Changed" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Changed", updated!["title"]!.GetValue<string>());
        Assert.Equal(created["created"]!.GetValue<string>(), updated["created"]!.GetValue<string>());

        var (deleted, body) = await Guest.DeleteJsonAsync(Records(name, id));
        Assert.Equal(HttpStatusCode.NoContent, deleted);
        Assert.Null(body);
        AssertError(HttpStatusCode.NotFound, await Guest.GetJsonAsync(Records(name, id)));
        AssertError(HttpStatusCode.NotFound, await Guest.DeleteJsonAsync(Records(name, id)));
    }

    [Fact]
    public async Task Every_field_type_round_trips_with_its_canonical_value()
    {
        var target = HttpJson.UniqueName("targets");
        var targetId = (await CreateCollectionAsync(target, """[{"name":"name","type":"text"}]"""))["id"]!.GetValue<string>();
        var t1 = (await CreateRecordAsync(target, new { name = "a" }))["id"]!.GetValue<string>();
        var t2 = (await CreateRecordAsync(target, new { name = "b" }))["id"]!.GetValue<string>();
        var name = HttpJson.UniqueName("everything");
        await CreateCollectionAsync(name, $$"""
            [{"name":"text","type":"text"},{"name":"number","type":"number"},{"name":"flag","type":"bool"},
             {"name":"email","type":"email"},{"name":"url","type":"url"},{"name":"editor","type":"editor"},
             {"name":"date","type":"date"},{"name":"one","type":"select","values":["a","b"],"maxSelect":1},
             {"name":"many","type":"select","values":["a","b","c"],"maxSelect":3},{"name":"data","type":"json"},
             {"name":"point","type":"geoPoint"},{"name":"rel","type":"relation","collectionId":"{{targetId}}","maxSelect":1},
             {"name":"rels","type":"relation","collectionId":"{{targetId}}","maxSelect":5},{"name":"files","type":"file","maxSelect":2},
             {"name":"secret","type":"password"},{{Autodates}}]
            """);

        var created = await CreateRecordAsync(name, Json($$"""
            {"text":"t","number":1.5,"flag":true,"email":"a@b.co","url":"https://x.io/p","editor":"<p>x</p>",
             "date":"2024-05-06T07:08:09.123Z","one":"b","many":["c","a"],"data":{"k":[1,2]},"point":{"lon":12.5,"lat":-45},
             "rel":"{{t1}}","rels":["{{t2}}","{{t1}}"],"secret":"hunter22"}
            """));
        var id = created["id"]!.GetValue<string>();
        var viewed = await ViewAsync(name, id);
        foreach (var record in new[] { created, viewed })
        {
            Assert.Equal("t", record["text"]!.GetValue<string>());
            Assert.Equal(1.5, record["number"]!.GetValue<double>());
            Assert.True(record["flag"]!.GetValue<bool>());
            Assert.Equal("a@b.co", record["email"]!.GetValue<string>());
            Assert.Equal("https://x.io/p", record["url"]!.GetValue<string>());
            Assert.Equal("<p>x</p>", record["editor"]!.GetValue<string>());
            Assert.Equal("2024-05-06 07:08:09.123Z", record["date"]!.GetValue<string>());
            Assert.Equal("b", record["one"]!.GetValue<string>());
            Assert.Equal("""["c","a"]""", record["many"]!.ToJsonString());
            Assert.Equal("""{"k":[1,2]}""", record["data"]!.ToJsonString());
            Assert.Equal(12.5, record["point"]!["lon"]!.GetValue<double>());
            Assert.Equal(-45, record["point"]!["lat"]!.GetValue<double>());
            Assert.Equal(t1, record["rel"]!.GetValue<string>());
            Assert.Equal($"""["{t2}","{t1}"]""", record["rels"]!.ToJsonString());
            Assert.Equal("[]", record["files"]!.ToJsonString());
            Assert.False(record.ContainsKey("secret"));
        }

        var empty = await CreateRecordAsync(name, new { });
        Assert.Equal("", empty["text"]!.GetValue<string>());
        Assert.Equal(0, empty["number"]!.GetValue<double>());
        Assert.False(empty["flag"]!.GetValue<bool>());
        Assert.Equal("", empty["date"]!.GetValue<string>());
        Assert.Equal("", empty["one"]!.GetValue<string>());
        Assert.Equal("[]", empty["many"]!.ToJsonString());
        Assert.Null(empty["data"]);
        Assert.True(empty.ContainsKey("data"));
        Assert.Equal(0, empty["point"]!["lon"]!.GetValue<double>());
        Assert.Equal("", empty["rel"]!.GetValue<string>());
    }

    [Fact]
    public async Task Modifiers_resolve_against_the_stored_record()
    {
        var name = HttpJson.UniqueName("mods");
        await CreateCollectionAsync(name, """
            [{"name":"count","type":"number"},{"name":"tags","type":"select","values":["a","b","c","d"],"maxSelect":4},
             {"name":"slug","type":"text","autogeneratePattern":"[a-z0-9]{6}"}]
            """);
        var id = (await CreateRecordAsync(name, Json("""{"count":10,"tags":["b"],"slug:autogenerate":"post-"}""")))["id"]!.GetValue<string>();
        var (status, updated) = await Guest.PatchJsonAsync(Records(name, id), Json("""{"count+":5,"count-":1.5,"tags+":"c","+tags":["a"],"tags-":"b"}""").ToJsonString());
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(13.5, updated!["count"]!.GetValue<double>());
        Assert.Equal("""["a","c"]""", updated["tags"]!.ToJsonString());
        Assert.Matches("^post-[a-z0-9]{6}$", updated["slug"]!.GetValue<string>());
    }

    [Fact]
    public async Task Text_autogenerate_pattern_fills_empty_values_on_create()
    {
        var name = HttpJson.UniqueName("codes");
        await CreateCollectionAsync(name, """[{"name":"code","type":"text","autogeneratePattern":"[A-Z]{8}"}]""");
        var created = await CreateRecordAsync(name, new { });
        Assert.Matches("^[A-Z]{8}$", created["code"]!.GetValue<string>());
        var given = await CreateRecordAsync(name, new { code = "mine" });
        Assert.Equal("mine", given["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Form_bodies_infer_values_and_jsonPayload_overrides()
    {
        var name = HttpJson.UniqueName("forms");
        await CreateCollectionAsync(name, """
            [{"name":"title","type":"text"},{"name":"price","type":"text"},{"name":"count","type":"number"},{"name":"flag","type":"bool"},
             {"name":"tags","type":"select","values":["a","b","c"],"maxSelect":3},{"name":"data","type":"json"}]
            """);

        using var urlencoded = new FormUrlEncodedContent([new("title", "plain"), new("price", "1.50"), new("count", "12"), new("flag", "true"), new("tags", "a"), new("tags", "c"), new("data", "[1,2]")]);
        using var response = await Guest.PostAsync(Records(name), urlencoded);
        var record = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.StatusCode == HttpStatusCode.OK, record.ToJsonString());
        Assert.Equal("plain", record["title"]!.GetValue<string>());
        Assert.Equal("1.50", record["price"]!.GetValue<string>());
        Assert.Equal(12, record["count"]!.GetValue<double>());
        Assert.True(record["flag"]!.GetValue<bool>());
        Assert.Equal("""["a","c"]""", record["tags"]!.ToJsonString());
        Assert.Equal("[1,2]", record["data"]!.ToJsonString());

        using var multipart = new MultipartFormDataContent
        {
            { new StringContent("from form"), "title" },
            { new StringContent("7"), "count" },
            { new StringContent("""{"title":"from payload","data":{"x":true}}"""), "@jsonPayload" },
        };
        using var second = await Guest.PostAsync(Records(name), multipart);
        var fromMultipart = JsonNode.Parse(await second.Content.ReadAsStringAsync())!;
        Assert.True(second.StatusCode == HttpStatusCode.OK, fromMultipart.ToJsonString());
        Assert.Equal("from payload", fromMultipart["title"]!.GetValue<string>());
        Assert.Equal(7, fromMultipart["count"]!.GetValue<double>());
        Assert.Equal("""{"x":true}""", fromMultipart["data"]!.ToJsonString());
    }

    [Fact]
    public async Task Custom_ids_are_accepted_checked_and_immutable()
    {
        var name = HttpJson.UniqueName("ids");
        await CreateCollectionAsync(name, """[{"name":"title","type":"text"}]""");
        var created = await CreateRecordAsync(name, new { id = "abcdefghijklmno", title = "x" });
        Assert.Equal("abcdefghijklmno", created["id"]!.GetValue<string>());
        AssertError(HttpStatusCode.BadRequest, await Guest.PostJsonAsync(Records(name), new { id = "abcdefghijklmno" }), "id");
        AssertError(HttpStatusCode.BadRequest, await Guest.PostJsonAsync(Records(name), new { id = "short" }), "id", "validation_min_text_constraint");
        AssertError(HttpStatusCode.BadRequest, await Guest.PostJsonAsync(Records(name), new { id = "ABC/../x%y'z*q\"" }), "id");
        AssertError(HttpStatusCode.BadRequest, await Guest.PatchJsonAsync(Records(name, "abcdefghijklmno"), new { id = "zzzzzzzzzzzzzzz" }), "id", "validation_pk_change");
        Assert.Equal(1, await CountAsync(name));
    }

    [Fact]
    public async Task Hidden_fields_are_shown_to_superusers_only_and_not_settable_by_others()
    {
        var name = HttpJson.UniqueName("hidden");
        await CreateCollectionAsync(name, """[{"name":"title","type":"text"},{"name":"note","type":"text","hidden":true}]""");
        var byGuest = await CreateRecordAsync(name, new { title = "t", note = "guest" }, Guest);
        Assert.False(byGuest.ContainsKey("note"));
        var id = byGuest["id"]!.GetValue<string>();
        Assert.Equal("", (await ViewAsync(name, id))["note"]!.GetValue<string>());

        var (_, updated) = await Superuser.PatchJsonAsync(Records(name, id), new { note = "root" });
        Assert.Equal("root", updated!["note"]!.GetValue<string>());
        var (_, guestView) = await Guest.GetJsonAsync(Records(name, id));
        Assert.False(guestView!.AsObject().ContainsKey("note"));
    }

    [Fact]
    public async Task Views_are_read_only()
    {
        var source = HttpJson.UniqueName("src");
        await CreateCollectionAsync(source, """[{"name":"title","type":"text"}]""");
        var id = (await CreateRecordAsync(source, new { title = "x" }))["id"]!.GetValue<string>();
        var view = HttpJson.UniqueName("v");
        await CreateCollectionAsync(view, "[]", """{"createRule":null,"updateRule":null,"deleteRule":null}""", "view", $$"""{"viewQuery":"SELECT id, title FROM {{source}}"}""");

        var (status, list) = await Guest.GetJsonAsync(Records(view));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("x", list!["items"]![0]!["title"]!.GetValue<string>());
        Assert.Equal("x", (await ViewAsync(view, id))["title"]!.GetValue<string>());
        foreach (var response in new[]
        {
            await Superuser.PostJsonAsync(Records(view), new { title = "y" }),
            await Superuser.PatchJsonAsync(Records(view, id), new { title = "y" }),
            await Superuser.DeleteJsonAsync(Records(view, id)),
        })
        {
            AssertError(HttpStatusCode.BadRequest, response);
            Assert.Equal("Unsupported collection type.", response.Body!["message"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Unknown_collections_are_404()
    {
        AssertError(HttpStatusCode.NotFound, await Guest.GetJsonAsync(Records("nope_" + Guid.NewGuid().ToString("N")[..6])));
        AssertError(HttpStatusCode.NotFound, await Guest.PostJsonAsync(Records("nope_x1"), new { }));
    }

    [Fact]
    public async Task Collections_are_found_by_id_and_by_name_case_insensitively()
    {
        var name = HttpJson.UniqueName("Cased");
        var collection = await CreateCollectionAsync(name, """[{"name":"title","type":"text"}]""");
        await CreateRecordAsync(collection["id"]!.GetValue<string>(), new { title = "x" });
        var (status, list) = await Guest.GetJsonAsync(Records(name.ToUpperInvariant()));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, list!["totalItems"]!.GetValue<int>());
    }
}

public sealed class RecordsCrudSqliteTests(SqliteServerFixture f) : RecordsCrudTests(f), IClassFixture<SqliteServerFixture>;

public sealed class RecordsCrudPostgresTests(PostgresServerFixture f) : RecordsCrudTests(f), IClassFixture<PostgresServerFixture>;
