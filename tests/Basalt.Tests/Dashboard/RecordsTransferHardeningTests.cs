using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Dashboard;

/// <summary>
/// Records import and export against hostile files: NULs, duplicate ids, spreadsheet formulas in CSV cells, and auth
/// collections whose secrets must not leave in an export.
/// </summary>
public abstract class RecordsTransferHardeningTests(BasaltServerFixture server)
{
    [Theory]
    [InlineData("json", "[{\"title\": \"nul\\u0000inside\"}]")]
    [InlineData("csv", "title\r\nnul\0inside\r\n")]
    public async Task A_nul_character_is_never_a_500(string format, string content)
    {
        var name = await DashboardKit.CreateItemsAsync(server);

        var (status, body) = await server.Superuser.PostJsonAsync($"/api/collections/{name}/import?format={format}", content);

        Assert.True(status is HttpStatusCode.OK or HttpStatusCode.BadRequest, body?.ToJsonString());
        Assert.NotNull(body!["status"] ?? body["imported"]);
    }

    [Fact]
    public async Task Duplicate_ids_in_one_file_are_a_400_and_write_nothing()
    {
        var name = await DashboardKit.CreateItemsAsync(server);
        const string Rows = """[{"id": "dupdupdupdup001", "title": "a"}, {"id": "dupdupdupdup001", "title": "b"}]""";

        var (status, body) = await server.Superuser.PostJsonAsync($"/api/collections/{name}/import", Rows);
        var (_, list) = await server.Superuser.GetJsonAsync($"/api/collections/{name}/records");

        Assert.True(status == HttpStatusCode.BadRequest, body?.ToJsonString());
        Assert.Equal(400, body!["status"]!.GetValue<int>());
        Assert.Equal(0, list!["totalItems"]!.GetValue<int>());
    }

    [Fact]
    public async Task Csv_export_defuses_formula_cells_and_the_import_restores_them()
    {
        var source = await DashboardKit.CreateItemsAsync(server);
        var twin = await DashboardKit.CreateItemsAsync(server);
        var rows = new JsonArray(
            new JsonObject { ["id"] = "formula00000001", ["title"] = "=HYPERLINK(\"http://x\")", ["note"] = "'=already quoted" },
            new JsonObject { ["id"] = "formula00000002", ["title"] = "@SUM(A1)", ["note"] = "-2+3", ["n"] = -5 },
            new JsonObject { ["id"] = "formula00000003", ["title"] = "'plain", ["note"] = "+1" });
        await server.Superuser.PostJsonAsync($"/api/collections/{source}/import", rows.ToJsonString());

        using var exported = await server.Superuser.GetAsync($"/api/collections/{source}/export?format=csv");
        var csv = await exported.Content.ReadAsStringAsync();
        using var content = new StringContent(csv, Encoding.UTF8, "text/csv");
        using var imported = await server.Superuser.PostAsync($"/api/collections/{twin}/import?format=csv", content);
        var (_, back) = await server.Superuser.GetJsonAsync($"/api/collections/{twin}/records?sort=id");

        Assert.DoesNotContain("\n=", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(",=", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(",@", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(",+", csv, StringComparison.Ordinal);
        Assert.Contains(",-5,", csv, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        var items = back!["items"]!.AsArray();
        Assert.Equal("=HYPERLINK(\"http://x\")", items[0]!["title"]!.GetValue<string>());
        Assert.Equal("'=already quoted", items[0]!["note"]!.GetValue<string>());
        Assert.Equal("@SUM(A1)", items[1]!["title"]!.GetValue<string>());
        Assert.Equal("-2+3", items[1]!["note"]!.GetValue<string>());
        Assert.Equal(-5, items[1]!["n"]!.GetValue<double>());
        Assert.Equal("'plain", items[2]!["title"]!.GetValue<string>());
        Assert.Equal("+1", items[2]!["note"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("json")]
    [InlineData("csv")]
    public async Task An_auth_collection_export_holds_no_password_hash_or_token_key(string format)
    {
        var collection = await AuthCollections.CreateAsync(server, new JsonObject { ["createRule"] = "" });
        await AuthCollections.SignUpAsync(server, collection, HttpJson.UniqueName("leak") + "@example.com", "user-password-1", asSuperuser: true);

        using var response = await server.Superuser.GetAsync($"/api/collections/{collection}/export?format={format}");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("$2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("tokenKey", text, StringComparison.Ordinal);
        Assert.DoesNotContain("password", text, StringComparison.OrdinalIgnoreCase);
    }
}

public sealed class RecordsTransferHardeningSqliteTests(SqliteServerFixture f) : RecordsTransferHardeningTests(f), IClassFixture<SqliteServerFixture>;

public sealed class RecordsTransferHardeningPostgresTests(PostgresServerFixture f) : RecordsTransferHardeningTests(f), IClassFixture<PostgresServerFixture>;
