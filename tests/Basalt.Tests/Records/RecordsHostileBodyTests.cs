using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Basalt.Api;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Records;

/// <summary>
/// Bodies built to hurt: huge multi-value arrays, escapes no store can keep, odd JSON, and bodies that would tell a caller
/// the rules refuse about stored data. Each is answered with a 4xx envelope or stored as PocketBase stores it.
/// </summary>
public abstract class RecordsHostileBodyTests(BasaltServerFixture fixture) : RecordsTestBase(fixture)
{
    private const string Fields = """
        [{"name":"title","type":"text"},{"name":"data","type":"json"},
         {"name":"tags","type":"select","values":["a","b","c"],"maxSelect":3},
         {"name":"refs","type":"relation","collectionId":"_pb_users_auth_","maxSelect":3}]
        """;

    protected async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpClient client, HttpMethod method, string url, HttpContent? content)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    protected static ByteArrayContent Raw(string body, string contentType = "application/json") => Raw(Encoding.UTF8.GetBytes(body), contentType);

    protected static ByteArrayContent Raw(byte[] body, string contentType = "application/json")
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    [Theory]
    [InlineData("tags")]
    [InlineData("refs")]
    public async Task A_guest_posting_a_million_item_array_gets_a_quick_400_and_nothing_is_stored(string field)
    {
        var name = HttpJson.UniqueName("huge");
        await CreateCollectionAsync(name, Fields);
        var huge = Array(field, 1_000_000);
        Assert.True(huge.Length > 10_000_000);

        // Past the reader's cap on values the body is refused as a whole, before any field is looked at.
        var refused = await SendAsync(Guest, HttpMethod.Post, Records(name), Raw(huge));
        AssertError(HttpStatusCode.BadRequest, refused);
        Assert.Empty(refused.Body!["data"]!.AsObject());

        // Under it, the field's own limit names the field, after linear work.
        var large = Array(field, RequestBodyReader.MaxValues - 10);
        AssertError(HttpStatusCode.BadRequest, await SendAsync(Guest, HttpMethod.Post, Records(name), Raw(large)), field, "validation_too_many_values");
        Assert.Equal(0, await CountAsync(name));

        var id = (await CreateRecordAsync(name, new { title = "x" }))["id"]!.GetValue<string>();
        AssertError(HttpStatusCode.BadRequest, await SendAsync(Guest, HttpMethod.Patch, Records(name, id), Raw(large.Replace($"\"{field}\"", $"\"{field}+\"", StringComparison.Ordinal))), field);
        AssertError(HttpStatusCode.BadRequest, await SendAsync(Guest, HttpMethod.Patch, Records(name, id), Raw(large)), field);
        Assert.Empty(((JsonArray)(await ViewAsync(name, id))[field]!));
    }

    private static string Array(string field, int count)
    {
        var body = new StringBuilder("{\"").Append(field).Append("\":[");
        for (var i = 0; i < count; i++)
        {
            body.Append(i == 0 ? "\"value" : ",\"value").Append(i).Append('"');
        }

        return body.Append("]}").ToString();
    }

    [Fact]
    public async Task A_failing_create_rule_answers_before_validation_and_uniqueness()
    {
        var users = HttpJson.UniqueName("gated");
        await CreateCollectionAsync(users, """[{"name":"code","type":"text"}]""", type: "auth", rules: """{"createRule":"@request.body.code = 'let-me-in'"}""");
        await CreateRecordAsync(users, new { email = "taken@example.com", password = "12345678", passwordConfirm = "12345678", code = "let-me-in" }, Guest);

        foreach (var body in new object[]
        {
            new { email = "taken@example.com", password = "12345678", passwordConfirm = "12345678", code = "guess" },
            new { email = "not-an-email", password = "1", passwordConfirm = "2", code = "guess" },
            new { id = (await ViewAllIdsAsync(users))[0], email = "free@example.com", password = "12345678", passwordConfirm = "12345678" },
        })
        {
            var response = await Guest.PostJsonAsync(Records(users), body);
            AssertError(HttpStatusCode.BadRequest, response);
            Assert.Equal("Failed to create record.", response.Body!["message"]!.GetValue<string>());
            Assert.Empty((JsonObject)response.Body["data"]!);
        }

        AssertError(HttpStatusCode.BadRequest, await Guest.PostJsonAsync(Records(users), new { email = "taken@example.com", password = "12345678", passwordConfirm = "12345678", code = "let-me-in" }), "email", "validation_not_unique");
        Assert.Equal(1, await CountAsync(users));
    }

    [Fact]
    public async Task A_locked_create_rule_is_403_whatever_the_body()
    {
        var users = HttpJson.UniqueName("locked");
        await CreateCollectionAsync(users, "[]", type: "auth", rules: """{"createRule":null}""");
        await CreateRecordAsync(users, new { email = "taken@example.com", password = "12345678", passwordConfirm = "12345678" });
        AssertError(HttpStatusCode.Forbidden, await Guest.PostJsonAsync(Records(users), new { email = "taken@example.com", password = "12345678", passwordConfirm = "12345678" }));
        AssertError(HttpStatusCode.Forbidden, await Guest.PostJsonAsync(Records(users), new { email = "nope", password = "1" }));
    }

    [Fact]
    public async Task A_create_rule_sees_the_submitted_record_and_not_a_claimed_verified_flag()
    {
        var name = HttpJson.UniqueName("rule");
        await CreateCollectionAsync(name, Fields, rules: """{"createRule":"title = 'ok' && tags:length = 2 && data.x = 1"}""");
        Assert.Equal("ok", (await CreateRecordAsync(name, Json("""{"title":"ok","tags":["a","b"],"data":{"x":1}}"""), Guest))["title"]!.GetValue<string>());
        AssertError(HttpStatusCode.BadRequest, await Guest.PostJsonAsync(Records(name), Json("""{"title":"ok","tags":["a"],"data":{"x":1}}""").ToJsonString()));
        AssertError(HttpStatusCode.BadRequest, await Guest.PostJsonAsync(Records(name), Json("""{"title":"ok","tags":["a","b"]}""").ToJsonString()));

        var users = HttpJson.UniqueName("claims");
        await CreateCollectionAsync(users, "[]", type: "auth", rules: """{"createRule":"verified = true"}""");
        AssertError(HttpStatusCode.BadRequest, await Guest.PostJsonAsync(Records(users), new { email = "v@example.com", password = "12345678", passwordConfirm = "12345678", verified = true }));
        Assert.Equal(1, await CountAsync(name));
        Assert.Equal(0, await CountAsync(users));
    }

    [Fact]
    public async Task A_patch_refused_by_the_update_rule_is_404_whatever_the_old_password()
    {
        var users = HttpJson.UniqueName("owners");
        await CreateCollectionAsync(users, "[]", type: "auth", rules: """{"updateRule":"id = @request.auth.id"}""");
        var victim = (await CreateRecordAsync(users, new { email = "victim@example.com", password = "12345678", passwordConfirm = "12345678" }, Guest))["id"]!.GetValue<string>();
        await CreateRecordAsync(users, new { email = "other@example.com", password = "12345678", passwordConfirm = "12345678" }, Guest);
        var other = await Server.SignInAsync(users, "other@example.com", "12345678");
        foreach (var old in new[] { "12345678", "wrong-one" })
        {
            AssertError(HttpStatusCode.NotFound, await other.PatchJsonAsync(Records(users, victim), new { oldPassword = old, password = "abcdefgh", passwordConfirm = "abcdefgh" }));
            AssertError(HttpStatusCode.NotFound, await other.PatchJsonAsync(Records(users, victim), new { oldPassword = old, password = "x", passwordConfirm = "y" }));
        }

        await Server.SignInAsync(users, "victim@example.com", "12345678");
    }

    public static TheoryData<string, string> SurrogateBodies => new()
    {
        { """{"title":"\ud800x"}""", "\uFFFDx" },
        { """{"title":"a\udfffb"}""", "a\uFFFDb" },
        { """{"title":"\udc00\ud800"}""", "\uFFFD\uFFFD" },
        { """{"title":"\ud83d\ude00 ok"}""", "\U0001F600 ok" },
        { """{"title":"\\ud800"}""", "\\ud800" },
        { """{"title":"a\u0000b"}""", "a\uFFFDb" },
        { """{"\ud800":"x","title":"named"}""", "named" },
    };

    [Theory]
    [MemberData(nameof(SurrogateBodies))]
    public async Task Lone_surrogates_and_nul_are_stored_as_the_replacement_character(string body, string expected)
    {
        var name = HttpJson.UniqueName("utf");
        await CreateCollectionAsync(name, Fields);
        var (status, created) = await SendAsync(Guest, HttpMethod.Post, Records(name), Raw(body));
        Assert.True(status == HttpStatusCode.OK, $"{(int)status}: {created?.ToJsonString()}");
        Assert.Equal(expected, created!["title"]!.GetValue<string>());
        var id = created["id"]!.GetValue<string>();

        (status, var updated) = await SendAsync(Guest, HttpMethod.Patch, Records(name, id), Raw(body));
        Assert.True(status == HttpStatusCode.OK, $"{(int)status}: {updated?.ToJsonString()}");
        Assert.Equal(expected, (await ViewAsync(name, id))["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task Surrogates_in_nested_json_multipart_payloads_forms_and_filters_are_never_a_500()
    {
        var name = HttpJson.UniqueName("utfpaths");
        await CreateCollectionAsync(name, Fields);
        var (status, created) = await SendAsync(Guest, HttpMethod.Post, Records(name), Raw("""{"data":{"k\ud800":["\udfff",{"n":"\u0000"}]}}"""));
        Assert.True(status == HttpStatusCode.OK, $"{(int)status}: {created?.ToJsonString()}");
        var nested = created!["data"]!["k\uFFFD"]!;
        Assert.Equal("\uFFFD", nested[0]!.GetValue<string>());
        Assert.Equal("\uFFFD", nested[1]!["n"]!.GetValue<string>());

        using var multipart = new MultipartFormDataContent { { new StringContent("""{"title":"\ud800p","tags":["a"]}"""), "@jsonPayload" }, { new StringContent("x\0y"), "data" } };
        (status, created) = await SendAsync(Guest, HttpMethod.Post, Records(name), multipart);
        Assert.True(status == HttpStatusCode.OK, $"{(int)status}: {created?.ToJsonString()}");
        Assert.Equal("\uFFFDp", created!["title"]!.GetValue<string>());
        Assert.Equal("x\uFFFDy", created["data"]!.GetValue<string>());

        // ASP.NET's form reader refuses a NUL or a surrogate encoded as UTF-8 bytes in a urlencoded body: a 400, not a 500
        foreach (var form in new[] { "title=f%00&tags=a", "title=%ED%A0%80f&tags=a" })
        {
            (status, created) = await SendAsync(Guest, HttpMethod.Post, Records(name), Raw(form, "application/x-www-form-urlencoded"));
            Assert.True(status is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{form}: {(int)status}: {created?.ToJsonString()}");
        }

        foreach (var filter in new[] { "title%3D%27%ED%A0%80%27", "title%3D%27a%00b%27", "title%3D%27%5Cud800%27" })
        {
            (status, var list) = await SendAsync(Guest, HttpMethod.Get, Records(name, query: "filter=" + filter), null);
            Assert.True(status is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{filter}: {(int)status}: {list?.ToJsonString()}");
        }
    }

    public static TheoryData<string, string> MalformedBodies => new()
    {
        { "malformed", "{\"title\": " },
        { "array", "[1,2]" },
        { "string", "\"text\"" },
        { "number", "5" },
        { "number beyond float64", "{\"title\":1e400}" },
        { "nested 10,000 deep", "{\"data\":" + new string('[', 10_000) + new string(']', 10_000) + "}" },
        { "byte order mark", "\uFEFF{\"title\":\"x\"}" },
        { "lone surrogate outside a string", "{\"title\":\"x\"\\ud800}" },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task A_body_that_is_not_a_json_object_is_the_generic_400_with_empty_data(string label, string body)
    {
        var name = HttpJson.UniqueName("malformed");
        await CreateCollectionAsync(name, Fields);
        var response = await SendAsync(Guest, HttpMethod.Post, Records(name), Raw(body));
        AssertError(HttpStatusCode.BadRequest, response);
        Assert.True(((JsonObject)response.Body!["data"]!).Count == 0, label);
        Assert.Equal("Something went wrong while processing your request.", response.Body["message"]!.GetValue<string>());
        Assert.Equal(0, await CountAsync(name));
    }

    [Fact]
    public async Task Null_duplicate_keys_and_numeric_names_read_as_go_reads_them()
    {
        var name = HttpJson.UniqueName("odd");
        await CreateCollectionAsync(name, """[{"name":"title","type":"text"},{"name":"n2","type":"number"}]""");
        var (status, created) = await SendAsync(Guest, HttpMethod.Post, Records(name), Raw("null"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("", created!["title"]!.GetValue<string>());

        (status, created) = await SendAsync(Guest, HttpMethod.Post, Records(name), Raw("""{"title":"first","title":"last","1":"x","n2":1e308}"""));
        Assert.True(status == HttpStatusCode.OK, $"{(int)status}: {created?.ToJsonString()}");
        Assert.Equal("last", created!["title"]!.GetValue<string>());
        Assert.Equal(1e308, created["n2"]!.GetValue<double>());
    }

    private async Task<List<string>> ViewAllIdsAsync(string collection)
    {
        var (_, list) = await Superuser.GetJsonAsync(Records(collection));
        return [.. list!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>())];
    }
}

public sealed class RecordsHostileBodySqliteTests(SqliteServerFixture f) : RecordsHostileBodyTests(f), IClassFixture<SqliteServerFixture>;

public sealed class RecordsHostileBodyPostgresTests(PostgresServerFixture f) : RecordsHostileBodyTests(f), IClassFixture<PostgresServerFixture>;
