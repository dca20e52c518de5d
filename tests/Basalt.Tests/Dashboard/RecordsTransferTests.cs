using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Dashboard;

/// <summary>
/// Records import and export: JSON and CSV round trips, ids kept, every row validated as a create, all rows in one
/// transaction (one rejected row writes nothing and the answer lists it), multipart uploads, and bad input as 400s.
/// </summary>
public abstract class RecordsTransferTests(BasaltServerFixture server)
{
    private const string TwoRows = """
        [
          {"id": "imported0000001", "title": "one", "n": 1, "flag": true, "tags": ["a", "b"], "meta": {"k": [1, 2]}, "note": "line1\nline2"},
          {"title": "two, with \"quotes\"", "n": 2.5}
        ]
        """;

    [Fact]
    public async Task Json_import_creates_every_row_keeping_ids_and_export_returns_them()
    {
        var name = await DashboardKit.CreateItemsAsync(server);

        var (status, body) = await server.Superuser.PostJsonAsync($"/api/collections/{name}/import?format=json", TwoRows);
        var (_, one) = await server.Superuser.GetJsonAsync($"/api/collections/{name}/records/imported0000001");
        var exported = await ExportAsync(name, "json");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, body!["imported"]!.GetValue<int>());
        Assert.Equal("one", one!["title"]!.GetValue<string>());
        Assert.Equal("""["a","b"]""", one["tags"]!.ToJsonString());
        var items = JsonNode.Parse(exported)!.AsArray();
        Assert.Equal(2, items.Count);
        Assert.Contains(items, i => i!["title"]!.GetValue<string>() == "two, with \"quotes\"" && i["n"]!.GetValue<double>() == 2.5);
        Assert.All(items, i => Assert.Equal(name, i!["collectionName"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Csv_export_imports_back_into_a_twin_collection_with_the_same_values()
    {
        var source = await DashboardKit.CreateItemsAsync(server);
        var twin = await DashboardKit.CreateItemsAsync(server);
        await server.Superuser.PostJsonAsync($"/api/collections/{source}/import", TwoRows);

        var csv = await ExportAsync(source, "csv");
        using var content = new StringContent(csv, Encoding.UTF8, "text/csv");
        using var response = await server.Superuser.PostAsync($"/api/collections/{twin}/import?format=csv", content);
        var (_, copied) = await server.Superuser.GetJsonAsync($"/api/collections/{twin}/records/imported0000001");

        Assert.StartsWith("id,title,n,flag,tags,meta,note\r\n", csv, StringComparison.Ordinal);
        Assert.Equal(2, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length - 1);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("one", copied!["title"]!.GetValue<string>());
        Assert.Equal(1, copied["n"]!.GetValue<double>());
        Assert.True(copied["flag"]!.GetValue<bool>());
        Assert.Equal("""["a","b"]""", copied["tags"]!.ToJsonString());
        Assert.Equal("""{"k":[1,2]}""", copied["meta"]!.ToJsonString());
        Assert.Equal("line1\nline2", copied["note"]!.GetValue<string>());
    }

    [Fact]
    public async Task One_rejected_row_writes_nothing_and_the_answer_lists_each_rejected_row()
    {
        var name = await DashboardKit.CreateItemsAsync(server);
        const string Rows = """
            [
              {"title": "fine"},
              {"n": 5},
              {"title": "bad tag", "tags": ["zzz"]},
              {"id": "dupdupdupdup001", "title": "first"},
              {"id": "dupdupdupdup001", "title": "second"}
            ]
            """;

        var (status, body) = await server.Superuser.PostJsonAsync($"/api/collections/{name}/import", Rows);
        var (_, list) = await server.Superuser.GetJsonAsync($"/api/collections/{name}/records");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var rows = body!["data"]!["rows"]!.AsArray();
        Assert.Equal([2, 3, 5], rows.Select(r => r!["row"]!.GetValue<int>()));
        Assert.NotNull(rows[0]!["errors"]!["title"]);
        Assert.NotNull(rows[1]!["errors"]!["tags"]);
        Assert.NotNull(rows[2]!["errors"]!["id"]);
        Assert.Equal(0, list!["totalItems"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_import_reaches_the_change_log_only_when_it_commits()
    {
        var name = await DashboardKit.CreateItemsAsync(server);
        var (_, collection) = await server.Superuser.GetJsonAsync("/api/collections/" + name);
        var query = $"SELECT count(*) AS n FROM _changes WHERE \"collectionId\" = '{collection!["id"]!.GetValue<string>()}'";

        var (rejected, _) = await server.Superuser.PostJsonAsync($"/api/collections/{name}/import", """[{"title": "kept back"}, {"n": 1}]""");
        var (_, afterRejected) = await server.Superuser.PostJsonAsync("/api/sql", new { query });
        var (imported, _) = await server.Superuser.PostJsonAsync($"/api/collections/{name}/import", TwoRows);
        var (_, afterImport) = await server.Superuser.PostJsonAsync("/api/sql", new { query });

        Assert.Equal(HttpStatusCode.BadRequest, rejected);
        Assert.Equal("[[0]]", afterRejected!["rows"]!.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, imported);
        Assert.Equal("[[2]]", afterImport!["rows"]!.ToJsonString());
    }

    [Fact]
    public async Task A_multipart_file_field_is_read_and_its_name_gives_the_format()
    {
        var name = await DashboardKit.CreateItemsAsync(server);
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes("title,n\r\nfrom csv,3\r\n\"quoted, title\",4\r\n"));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "items.csv");

        using var response = await server.Superuser.PostAsync($"/api/collections/{name}/import", form);
        var (_, list) = await server.Superuser.GetJsonAsync($"/api/collections/{name}/records?sort=n");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["from csv", "quoted, title"], list!["items"]!.AsArray().Select(i => i!["title"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Export_applies_the_filter_and_a_bad_filter_is_a_400()
    {
        var name = await DashboardKit.CreateItemsAsync(server);
        await server.Superuser.PostJsonAsync($"/api/collections/{name}/import", TwoRows);

        var filtered = JsonNode.Parse(await ExportAsync(name, "json", "n > 2"))!.AsArray();
        var (bad, body) = await server.Superuser.GetJsonAsync($"/api/collections/{name}/export?filter=" + Uri.EscapeDataString("nope ="));

        Assert.Single(filtered);
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Equal(400, body!["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_empty_collection_exports_an_empty_array_and_a_header_row()
    {
        var name = await DashboardKit.CreateItemsAsync(server);

        Assert.Equal("[]", await ExportAsync(name, "json"));
        Assert.Equal("id,title,n,flag,tags,meta,note\r\n", await ExportAsync(name, "csv"));
    }

    public static TheoryData<string, string> BadImports => new()
    {
        { "?format=xml", "[]" },
        { "?format=json", "{not json" },
        { "?format=json", """{"title": "an object, not an array"}""" },
        { "?format=json", """[1, 2]""" },
        { "?format=csv", "title\r\n\"never closed" },
    };

    [Theory]
    [MemberData(nameof(BadImports))]
    public async Task Bad_files_are_400_envelopes(string query, string content)
    {
        var name = await DashboardKit.CreateItemsAsync(server);

        var (status, body) = await server.Superuser.PostJsonAsync($"/api/collections/{name}/import{query}", content);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(400, body!["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task Unknown_collections_are_404_and_non_superusers_are_refused()
    {
        var name = await DashboardKit.CreateItemsAsync(server);
        using var user = server.NewClient(await DashboardKit.SignUpUserAsync(server));

        var (missing, _) = await server.Superuser.GetJsonAsync("/api/collections/no_such_collection/export");
        var (guestExport, _) = await server.Guest.GetJsonAsync($"/api/collections/{name}/export");
        var (guestImport, _) = await server.Guest.PostJsonAsync($"/api/collections/{name}/import", "[]");
        var (userImport, _) = await user.PostJsonAsync($"/api/collections/{name}/import", "[]");

        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal(HttpStatusCode.Unauthorized, guestExport);
        Assert.Equal(HttpStatusCode.Unauthorized, guestImport);
        Assert.Equal(HttpStatusCode.Forbidden, userImport);
    }

    private async Task<string> ExportAsync(string name, string format, string? filter = null)
    {
        var url = $"/api/collections/{name}/export?format={format}" + (filter is null ? "" : "&filter=" + Uri.EscapeDataString(filter));
        using var response = await server.Superuser.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return text;
    }
}

public sealed class RecordsTransferSqliteTests(SqliteServerFixture f) : RecordsTransferTests(f), IClassFixture<SqliteServerFixture>;

public sealed class RecordsTransferPostgresTests(PostgresServerFixture f) : RecordsTransferTests(f), IClassFixture<PostgresServerFixture>;
