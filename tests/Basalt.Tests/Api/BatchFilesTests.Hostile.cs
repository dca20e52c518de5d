using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Basalt.Tests.Api;

/// <summary>
/// Hostile file parts in a batch: parts that name no request, a field that takes no files, path tricks and thousands
/// of parts. Each is a 400 envelope naming what was wrong, never a 500, and nothing is stored.
/// </summary>
public abstract partial class BatchFilesTests
{
    [Theory]
    [InlineData("requests.1.doc", "1")]
    [InlineData("requests[7].doc", "7")]
    [InlineData("requests.99999999999.doc", "99999999999")]
    [InlineData("requests.abc.doc", "abc")]
    [InlineData("requests.-1.doc", "-1")]
    [InlineData("requests.01.doc", "01")]
    [InlineData("requests. 0.doc", " 0")]
    [InlineData("requests.0x0.doc", "0x0")]
    [InlineData("requests..doc", "")]
    [InlineData("requests.0/../0.doc", "0/")]
    public async Task A_part_naming_no_request_of_the_batch_is_refused_before_anything_runs(string part, string index)
    {
        await SetBatchAsync();
        var (name, id) = await CollectionAsync(Fields);

        var (status, body) = await SendBatchAsync([Create(name, new JsonObject { ["title"] = "x" })], File(part, "a.txt", Text("a")));

        Assert.True(status == HttpStatusCode.BadRequest, body?.ToJsonString());
        Assert.Equal("Invalid batch request data.", body!["message"]!.GetValue<string>());
        var requests = body["data"]!["requests"]!.AsObject();
        Assert.Equal([index], requests.Select(p => p.Key));
        var error = requests[index]!.AsObject().Single().Value!;
        Assert.Equal("validation_unknown_request", error["code"]!.GetValue<string>());
        Assert.Equal(0, await CountAsync(name));
        Assert.Empty(AllStoredFiles(id));
    }

    [Theory]
    [InlineData("doc")]
    [InlineData("requests")]
    [InlineData("requests.0")]
    [InlineData("requests.0.")]
    [InlineData("requests[0]doc")]
    [InlineData("Requests.0.doc")]
    [InlineData("../requests.0.doc")]
    public async Task A_part_not_named_requests_N_key_is_refused_before_anything_runs(string part)
    {
        await SetBatchAsync();
        var (name, id) = await CollectionAsync(Fields);

        var (status, body) = await SendBatchAsync([Create(name, new JsonObject { ["title"] = "x" })], File(part, "a.txt", Text("a")));

        Assert.True(status == HttpStatusCode.BadRequest, body?.ToJsonString());
        Assert.Equal("Invalid batch request data.", body!["message"]!.GetValue<string>());
        Assert.Equal("validation_invalid_file_part", body["data"]!["requests"]!["code"]!.GetValue<string>());
        Assert.Equal(0, await CountAsync(name));
        Assert.Empty(AllStoredFiles(id));
    }

    [Theory]
    [InlineData("title")]
    [InlineData("unknown")]
    [InlineData("doc-")]
    [InlineData("+doc+")]
    [InlineData("doc:autogenerate")]
    [InlineData("../../doc")]
    [InlineData("/doc")]
    [InlineData("doc/../../../etc")]
    [InlineData("id")]
    public async Task A_file_under_a_key_that_is_not_a_file_field_fails_its_request(string key)
    {
        await SetBatchAsync();

        // title is optional here: the files sent under a key replace the JSON body's value for it, as in PocketBase.
        var (name, id) = await CollectionAsync("""[{"name":"title","type":"text"},{"name":"doc","type":"file","maxSelect":1}]""");

        var (status, body) = await SendBatchAsync(
            [Create(name, new JsonObject { ["title"] = "fine" }), Create(name, new JsonObject { ["title"] = "x" })],
            File("requests.0.doc", "ok.txt", Text("ok")),
            File("requests.1." + key, "a.txt", Text("a")));

        var failure = AssertFailedAt(1, status, body, 400);
        Assert.Equal("Failed to create record.", failure["message"]!.GetValue<string>());
        Assert.Equal("validation_unknown_file_field", failure["data"]![key]!["code"]!.GetValue<string>());
        Assert.Equal(0, await CountAsync(name));
        Assert.Empty(AllStoredFiles(id));
    }

    [Fact]
    public async Task A_caller_the_rules_refuse_learns_nothing_about_which_keys_are_file_fields()
    {
        await SetBatchAsync();
        var (name, _) = await CollectionAsync(Fields, """{"createRule":"@request.auth.id != ''"}""");
        var payload = new JsonObject { ["requests"] = new JsonArray(Create(name, new JsonObject { ["title"] = "x" })) }.ToJsonString();

        foreach (var key in new[] { "doc", "unknown" })
        {
            using var form = new MultipartFormDataContent { { new StringContent(payload), "@jsonPayload" } };
            form.Add(new ByteArrayContent(Text("a")), "requests.0." + key, "a.txt");
            using var response = await Guest.PostAsync("/api/batch", form);
            var failure = AssertFailedAt(0, response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()), 400);
            Assert.Empty(failure["data"]!.AsObject());
        }
    }

    [Fact]
    public async Task Files_sent_with_a_delete_or_an_unknown_action_fail_that_request()
    {
        await SetBatchAsync();
        var (name, id) = await CollectionAsync(Fields);
        var record = await CreateTitledAsync(name, File("doc", "kept.txt", Text("kept")));
        var recordId = record["id"]!.GetValue<string>();

        var delete = await SendBatchAsync(
            [new JsonObject { ["method"] = "DELETE", ["url"] = Records(name, recordId) }],
            File("requests.0.doc", "a.txt", Text("a")));
        var unknown = await SendBatchAsync(
            [new JsonObject { ["method"] = "GET", ["url"] = Records(name, recordId) }],
            File("requests.0.doc", "a.txt", Text("a")));

        Assert.Equal("validation_unknown_file_field", AssertFailedAt(0, delete.Status, delete.Body, 400)["data"]!["doc"]!["code"]!.GetValue<string>());
        Assert.Equal("Unknown batch request action.", AssertFailedAt(0, unknown.Status, unknown.Body, 400)["message"]!.GetValue<string>());
        Assert.Equal([record["doc"]!.GetValue<string>()], await StoredFilesAsync(id, recordId));
        Assert.Single(AllStoredFiles(id));
    }

    [Fact]
    public async Task A_file_name_with_path_tricks_is_stored_under_a_safe_name_in_its_record_folder()
    {
        await SetBatchAsync();
        var (name, id) = await CollectionAsync(Fields);

        var (status, body) = await SendBatchAsync(
            [Create(name, new JsonObject { ["title"] = "x" })],
            File("requests.0.docs", "../../../../etc/passwd", Text("one")),
            File("requests.0.docs", "..\\..\\win.ini", Text("two")),
            File("requests.0.docs", ".hidden", Text("three")));

        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        var recordId = body![0]!["body"]!["id"]!.GetValue<string>();
        var docs = Names(body[0]!["body"]!["docs"]);
        Assert.Equal(3, docs.Count);
        Assert.All(docs, d => Assert.DoesNotContain('/', d));
        Assert.All(docs, d => Assert.DoesNotContain('\\', d));
        Assert.All(docs, d => Assert.False(d.StartsWith('.')));
        Assert.Equal(docs.Order(StringComparer.Ordinal), await StoredFilesAsync(id, recordId));
        Assert.Equal(3, AllStoredFiles(id).Length);
    }

    [Fact]
    public async Task Ten_thousand_file_parts_are_refused_as_an_unreadable_body()
    {
        await SetBatchAsync();
        var (name, id) = await CollectionAsync(Fields);
        var payload = new JsonObject { ["requests"] = new JsonArray(Create(name, new JsonObject { ["title"] = "x" })) }.ToJsonString();

        using var form = new MultipartFormDataContent { { new StringContent(payload), "@jsonPayload" } };
        for (var i = 0; i < 10_000; i++)
        {
            var part = new ByteArrayContent([(byte)'x']);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(part, "requests.0.docs", "x.txt");
        }

        using var response = await Superuser.PostAsync("/api/batch", form);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body?.ToJsonString());
        Assert.Equal("Failed to read the submitted batch data.", body!["message"]!.GetValue<string>());
        Assert.Equal(0, await CountAsync(name));
        Assert.Empty(AllStoredFiles(id));
    }

    [Fact]
    public async Task More_files_than_the_field_takes_fail_the_request_by_field()
    {
        await SetBatchAsync();
        var (name, id) = await CollectionAsync(Fields);
        var files = Enumerable.Range(0, 5).Select(i => File("requests.0.docs", $"f{i}.txt", Text("x"))).ToArray();

        var (status, body) = await SendBatchAsync([Create(name, new JsonObject { ["title"] = "x" })], files);

        var failure = AssertFailedAt(0, status, body, 400);
        Assert.NotNull(failure["data"]!["docs"]!["code"]);
        Assert.Empty(AllStoredFiles(id));
    }
}
