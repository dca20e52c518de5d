using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Basalt.Records;
using Basalt.Tests.Files;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Api;

/// <summary>
/// Files inside <c>POST /api/batch</c> (§10): multipart with the requests in <c>@jsonPayload</c> and files under
/// <c>requests.N.key</c> or <c>requests[N].key</c>. They are stored with the batch, kept only if it commits, and a
/// replaced file goes only once the batch has committed.
/// </summary>
public abstract partial class BatchFilesTests(BasaltServerFixture fixture) : FilesTestBase(fixture)
{
    private const string Fields = """
        [{"name":"title","type":"text","required":true},
         {"name":"doc","type":"file","maxSelect":1},
         {"name":"docs","type":"file","maxSelect":4}]
        """;

    [Fact]
    public async Task Two_creates_with_files_store_them_and_serve_them_after_the_batch()
    {
        await SetBatchAsync();
        var (name, id) = await CollectionAsync(Fields);

        var (status, body) = await SendBatchAsync(
            [Create(name, new JsonObject { ["title"] = "first" }), Create(name, new JsonObject { ["title"] = "second" }, "fields=id,docs")],
            File("requests.0.doc", "alpha.txt", Text("alpha")),
            File("requests[1].docs", "one.txt", Text("one")),
            File("requests.1.docs", "two.txt", Text("two")));

        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        var first = body![0]!["body"]!;
        var second = body[1]!["body"]!;
        Assert.StartsWith("alpha_", first["doc"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["id", "docs"], second.AsObject().Select(p => p.Key));
        var docs = Names(second["docs"]);
        Assert.Equal(2, docs.Count);
        Assert.StartsWith("one_", docs[0], StringComparison.Ordinal);
        Assert.StartsWith("two_", docs[1], StringComparison.Ordinal);

        Assert.Equal("alpha", await DownloadAsync(name, first["id"]!.GetValue<string>(), first["doc"]!.GetValue<string>()));
        Assert.Equal("one", await DownloadAsync(name, second["id"]!.GetValue<string>(), docs[0]));
        Assert.Equal("two", await DownloadAsync(name, second["id"]!.GetValue<string>(), docs[1]));
        Assert.Equal(3, AllStoredFiles(id).Length);
    }

    [Fact]
    public async Task Append_and_prepend_modifiers_work_inside_a_batch()
    {
        await SetBatchAsync();
        var (name, _) = await CollectionAsync(Fields);
        var record = await CreateTitledAsync(name, File("docs", "middle.txt", Text("m")));
        var recordId = record["id"]!.GetValue<string>();
        var middle = Names(record["docs"]).Single();

        var (status, body) = await SendBatchAsync(
            [Update(name, recordId, new JsonObject())],
            File("requests.0.docs+", "last.txt", Text("l")),
            File("requests.0.+docs", "first.txt", Text("f")));

        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        var docs = Names(body![0]!["body"]!["docs"]);
        Assert.Equal(3, docs.Count);
        Assert.StartsWith("first_", docs[0], StringComparison.Ordinal);
        Assert.Equal(middle, docs[1]);
        Assert.StartsWith("last_", docs[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Files_under_a_key_replace_what_the_json_body_sent_under_that_key_as_in_pocketbase()
    {
        await SetBatchAsync();
        var (name, _) = await CollectionAsync(Fields);
        var record = await CreateTitledAsync(name, File("docs", "a.txt", Text("a")), File("docs", "b.txt", Text("b")));
        var recordId = record["id"]!.GetValue<string>();
        var kept = Names(record["docs"])[0];

        var (status, body) = await SendBatchAsync(
            [Update(name, recordId, new JsonObject { ["docs"] = new JsonArray(kept) })],
            File("requests.0.docs", "ccc.txt", Text("c")));

        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        var docs = Names(body![0]!["body"]!["docs"]);
        Assert.StartsWith("ccc_", Assert.Single(docs), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_later_failure_applies_nothing_and_leaves_no_uploaded_file_on_disk()
    {
        await SetBatchAsync();
        var (name, id) = await CollectionAsync(Fields);

        var (status, body) = await SendBatchAsync(
            [
                Create(name, new JsonObject { ["title"] = "one" }),
                Create(name, new JsonObject { ["title"] = "two" }),
                Create(name, new JsonObject { ["title"] = "" }),
            ],
            File("requests.0.doc", "one.txt", Text("1")),
            File("requests.1.docs", "two.txt", Text("2")),
            File("requests.1.docs", "three.txt", Text("3")),
            File("requests.2.doc", "never.txt", Text("x")));

        var failure = AssertFailedAt(2, status, body, 400);
        Assert.Equal("validation_required", failure["data"]!["title"]!["code"]!.GetValue<string>());
        Assert.Equal(0, await CountAsync(name));
        Assert.Empty(AllStoredFiles(id));
    }

    [Fact]
    public async Task A_file_replaced_in_a_batch_goes_only_after_the_commit()
    {
        await SetBatchAsync();
        var (name, id) = await CollectionAsync(Fields);
        var record = await CreateTitledAsync(name, File("doc", "old.txt", Text("old")));
        var recordId = record["id"]!.GetValue<string>();
        var old = record["doc"]!.GetValue<string>();
        var service = Server.Services.GetRequiredService<RecordBatchService>();
        var seenInside = new List<string[]>();
        service.BeforeOperation = async (index, _) =>
        {
            if (index == 1)
            {
                seenInside.Add(await StoredFilesAsync(id, recordId));
            }
        };
        (HttpStatusCode Status, JsonNode? Body) response;
        try
        {
            response = await SendBatchAsync(
                [Update(name, recordId, new JsonObject()), Create(name, new JsonObject { ["title"] = "after" })],
                File("requests.0.doc", "new.txt", Text("new")));
        }
        finally
        {
            service.BeforeOperation = null;
        }

        Assert.True(response.Status == HttpStatusCode.OK, response.Body?.ToJsonString());
        var replacement = response.Body![0]!["body"]!["doc"]!.GetValue<string>();
        Assert.StartsWith("new_", replacement, StringComparison.Ordinal);
        Assert.Equal([new[] { old, replacement }.Order(StringComparer.Ordinal).ToArray()], seenInside);
        Assert.Equal([replacement], await StoredFilesAsync(id, recordId));
        Assert.Equal("new", await DownloadAsync(name, recordId, replacement));
        Assert.Equal(HttpStatusCode.NotFound, (await Superuser.GetAsync(FileUrl(name, recordId, old))).StatusCode);
    }

    [Fact]
    public async Task A_file_replaced_in_a_batch_that_fails_is_kept_and_the_new_one_removed()
    {
        await SetBatchAsync();
        var (name, id) = await CollectionAsync(Fields);
        var record = await CreateTitledAsync(name, File("doc", "old.txt", Text("old")));
        var recordId = record["id"]!.GetValue<string>();
        var old = record["doc"]!.GetValue<string>();

        var (status, body) = await SendBatchAsync(
            [Update(name, recordId, new JsonObject()), Create(name, new JsonObject { ["title"] = "" })],
            File("requests.0.doc", "new.txt", Text("new")));

        AssertFailedAt(1, status, body, 400);
        Assert.Equal(old, (await ViewAsync(name, recordId))["doc"]!.GetValue<string>());
        Assert.Equal([old], await StoredFilesAsync(id, recordId));
        Assert.Equal("old", await DownloadAsync(name, recordId, old));
    }

    [Fact]
    public async Task Field_checks_apply_to_batch_uploads()
    {
        await SetBatchAsync();
        var (name, id) = await CollectionAsync("""[{"name":"img","type":"file","maxSelect":1,"maxSize":10,"mimeTypes":["image/png"]}]""");

        var (status, body) = await SendBatchAsync([Create(name, new JsonObject())], File("requests.0.img", "fake.png", Text("not a png at all")));

        var failure = AssertFailedAt(0, status, body, 400);
        Assert.NotNull(failure["data"]!["img"]!["code"]);
        Assert.Empty(AllStoredFiles(id));
    }

    /// <summary>A record of the collection with a title and the given files, created outside any batch.</summary>
    private async Task<JsonObject> CreateTitledAsync(string collection, params (string Key, string FileName, byte[] Content)[] files)
    {
        var (status, json) = await SendFormAsync(Superuser, HttpMethod.Post, Records(collection), files, ("title", "set up"));
        Assert.True(status == HttpStatusCode.OK, json?.ToJsonString());
        return (JsonObject)json!;
    }

    /// <summary>Sets every batch setting (PocketBase's defaults, enabled), so no test sees another's.</summary>
    private async Task SetBatchAsync()
    {
        var (status, body) = await Superuser.PatchJsonAsync("/api/settings", new { batch = new { enabled = true, maxRequests = 50, timeout = 3, maxBodySize = 0 } });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
    }

    private static JsonObject Create(string collection, JsonObject body, string? query = null) =>
        new() { ["method"] = "POST", ["url"] = Records(collection, query: query), ["body"] = body };

    private static JsonObject Update(string collection, string id, JsonObject body) =>
        new() { ["method"] = "PATCH", ["url"] = Records(collection, id), ["body"] = body };

    /// <summary>The batch as the JS SDK sends it: the requests in <c>@jsonPayload</c>, then the file parts as given.</summary>
    private Task<(HttpStatusCode Status, JsonNode? Body)> SendBatchAsync(JsonObject[] requests, params (string Key, string FileName, byte[] Content)[] files) =>
        SendBatchAsync(new JsonObject { ["requests"] = new JsonArray(requests) }.ToJsonString(), files);

    private async Task<(HttpStatusCode Status, JsonNode? Body)> SendBatchAsync(string payload, IEnumerable<(string Key, string FileName, byte[] Content)> files)
    {
        using var form = new MultipartFormDataContent { { new StringContent(payload), "@jsonPayload" } };
        foreach (var (key, fileName, content) in files)
        {
            var part = new ByteArrayContent(content);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(part, key, fileName);
        }

        using var response = await Superuser.PostAsync("/api/batch", form);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private async Task<string> DownloadAsync(string collection, string recordId, string name)
    {
        using var response = await Guest.GetAsync(FileUrl(collection, recordId, name));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Every file under the collection's storage folder, at any depth (thumbs and temporary uploads included).</summary>
    private string[] AllStoredFiles(string collectionId)
    {
        var folder = Path.Combine(Server.DataDir, "storage", collectionId);
        return Directory.Exists(folder) ? Directory.GetFiles(folder, "*", SearchOption.AllDirectories) : [];
    }

    /// <summary>Checks the batch envelope of a failure at <paramref name="index"/> and returns that request's own envelope.</summary>
    private static JsonObject AssertFailedAt(int index, HttpStatusCode status, JsonNode? body, int innerStatus)
    {
        Assert.True(status == HttpStatusCode.BadRequest, body?.ToJsonString());
        Assert.Equal("Batch transaction failed.", body!["message"]!.GetValue<string>());
        var requests = body["data"]!["requests"]!.AsObject();
        var key = index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal([key], requests.Select(p => p.Key));
        Assert.Equal("batch_request_failed", requests[key]!["code"]!.GetValue<string>());
        var inner = requests[key]!["response"]!.AsObject();
        Assert.Equal(innerStatus, inner["status"]!.GetValue<int>());
        return inner;
    }
}

public sealed class BatchFilesSqliteTests(SqliteServerFixture f) : BatchFilesTests(f), IClassFixture<SqliteServerFixture>;

public sealed class BatchFilesPostgresTests(PostgresServerFixture f) : BatchFilesTests(f), IClassFixture<PostgresServerFixture>;
