using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Records;

/// <summary>Hostile and malformed input: each gets a 4xx envelope (naming the field where there is one) and nothing is half-written.</summary>
public abstract class RecordsBadInputTests(BasaltServerFixture fixture) : RecordsTestBase(fixture)
{
    /// <summary>One request against a fresh collection; <c>{c}</c> in the URL is the collection name.</summary>
    public sealed record Scenario(string Name, string Method, string Url, string? Body, HttpStatusCode Status, string? Field = null, string ContentType = "application/json");

    private static readonly string LongTitle = new('x', 101);

    public static TheoryData<Scenario> Scenarios => new()
    {
        new("malformed json", "POST", "/records", "{\"title\": ", HttpStatusCode.BadRequest),
        new("json array body", "POST", "/records", "[1,2]", HttpStatusCode.BadRequest),
        new("unsupported content type", "POST", "/records", "<x/>", HttpStatusCode.BadRequest, null, "text/plain"),
        new("over-long text", "POST", "/records", $"{{\"title\":\"{LongTitle}\"}}", HttpStatusCode.BadRequest, "title"),
        new("select outside its values", "POST", "/records", "{\"kind\":\"evil\"}", HttpStatusCode.BadRequest, "kind"),
        new("too many values", "POST", "/records", "{\"kinds\":[\"a\",\"b\",\"c\"]}", HttpStatusCode.BadRequest, "kinds"),
        new("id with path characters", "POST", "/records", "{\"id\":\"../../etc/passw\"}", HttpStatusCode.BadRequest, "id"),
        new("id as sql", "POST", "/records", "{\"id\":\"a' OR '1'='1\"}", HttpStatusCode.BadRequest, "id"),
        new("page not an integer", "GET", "/records?page=1;DROP", null, HttpStatusCode.BadRequest),
        new("sql in filter", "GET", "/records?filter=" + Uri.EscapeDataString("title = '' OR 1=1; DROP TABLE x --"), null, HttpStatusCode.BadRequest),
        new("unknown filter field", "GET", "/records?filter=" + Uri.EscapeDataString("nope = 1"), null, HttpStatusCode.BadRequest),
        new("over-long filter", "GET", "/records?filter=" + Uri.EscapeDataString("title = '" + new string('x', 3600) + "'"), null, HttpStatusCode.BadRequest),
        new("sql in sort", "GET", "/records?sort=" + Uri.EscapeDataString("title; DROP TABLE x"), null, HttpStatusCode.BadRequest),
        new("too many sort keys", "GET", "/records?sort=title,title,title,title,title,title,title,title,title", null, HttpStatusCode.BadRequest),
        new("sql in fields", "GET", "/records?fields=" + Uri.EscapeDataString("id:excerpt(1); DROP"), null, HttpStatusCode.BadRequest, "fields"),
        new("sql in record id", "GET", "/records/" + Uri.EscapeDataString("' OR '1'='1"), null, HttpStatusCode.NotFound),
        new("missing record", "PATCH", "/records/nothinghere1234", "{\"title\":\"x\"}", HttpStatusCode.NotFound),
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Bad_input_gets_an_envelope_and_writes_nothing(Scenario scenario)
    {
        var name = HttpJson.UniqueName("bad");
        await CreateCollectionAsync(name, """
            [{"name":"title","type":"text","max":100},{"name":"count","type":"number"},{"name":"flag","type":"bool"},{"name":"when","type":"date"},
             {"name":"kind","type":"select","values":["a","b"],"maxSelect":1},{"name":"kinds","type":"select","values":["a","b","c"],"maxSelect":2}]
            """);
        await CreateRecordAsync(name, new { title = "existing" });

        using var request = new HttpRequestMessage(new HttpMethod(scenario.Method), $"/api/collections/{name}" + scenario.Url);
        if (scenario.Body is not null)
        {
            request.Content = new StringContent(scenario.Body, Encoding.UTF8);
            request.Content.Headers.ContentType = new(scenario.ContentType);
        }

        using var response = await Guest.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        AssertError(scenario.Status, (response.StatusCode, JsonNode.Parse(text)), scenario.Field);

        var (_, list) = await Superuser.GetJsonAsync(Records(name));
        Assert.Equal(1, list!["totalItems"]!.GetValue<int>());
        Assert.Equal("existing", list["items"]![0]!["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_fields_are_ignored()
    {
        var name = HttpJson.UniqueName("unknown");
        await CreateCollectionAsync(name, """[{"name":"title","type":"text"}]""");
        var created = await CreateRecordAsync(name, Json("""{"title":"x","nope":1,"collectionName":"other","expand":{"a":1}}"""), Guest);
        Assert.False(created.ContainsKey("nope"));
        Assert.Equal(name, created["collectionName"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_unique_index_conflict_names_its_field()
    {
        var name = HttpJson.UniqueName("uniq");
        await CreateCollectionAsync(name, """[{"name":"slug","type":"text"}]""", extra: $$"""{"indexes":["CREATE UNIQUE INDEX idx_{{name}}_slug ON {{name}} (slug)"]}""");
        var id = (await CreateRecordAsync(name, new { slug = "taken" }))["id"]!.GetValue<string>();
        AssertError(HttpStatusCode.BadRequest, await Guest.PostJsonAsync(Records(name), new { slug = "taken" }), "slug", "validation_not_unique");
        var other = (await CreateRecordAsync(name, new { slug = "free" }))["id"]!.GetValue<string>();
        AssertError(HttpStatusCode.BadRequest, await Guest.PatchJsonAsync(Records(name, other), new { slug = "taken" }), "slug", "validation_not_unique");
        Assert.Equal(HttpStatusCode.OK, (await Guest.PatchJsonAsync(Records(name, id), new { slug = "taken" })).Status);
        Assert.Equal(2, await CountAsync(name));
    }

    [Fact]
    public async Task An_empty_body_counts_as_an_empty_object()
    {
        var name = HttpJson.UniqueName("empty");
        await CreateCollectionAsync(name, """[{"name":"title","type":"text"}]""");
        using var response = await Guest.PostAsync(Records(name), null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_before_it_is_read()
    {
        var name = HttpJson.UniqueName("huge");
        await CreateCollectionAsync(name, """[{"name":"title","type":"text"}]""");

        // a raw request: HttpClient would fail writing the rest of a body the server has already refused
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(Server.BaseAddress.Host, Server.BaseAddress.Port);
        var stream = tcp.GetStream();
        var head = $"POST {Records(name)} HTTP/1.1\r\nHost: {Server.BaseAddress.Authority}\r\nContent-Type: application/json\r\nContent-Length: {40 << 20}\r\nConnection: close\r\n\r\n{{\"title\":\"";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        using var reader = new StreamReader(stream);
        var statusLine = await reader.ReadLineAsync();
        Assert.StartsWith("HTTP/1.1 413", statusLine, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync(name));
    }

    [Fact]
    public async Task Hostile_collection_names_are_404()
    {
        foreach (var hostile in new[] { "x\"; DROP TABLE _collections; --", "_collections", "sqlite_master", "..%2F..%2Fetc" })
        {
            AssertError(HttpStatusCode.NotFound, await Guest.GetJsonAsync(Records(Uri.EscapeDataString(hostile))));
        }
    }
}

public sealed class RecordsBadInputSqliteTests(SqliteServerFixture f) : RecordsBadInputTests(f), IClassFixture<SqliteServerFixture>;

public sealed class RecordsBadInputPostgresTests(PostgresServerFixture f) : RecordsBadInputTests(f), IClassFixture<PostgresServerFixture>;
