using System.Text;
using System.Text.Json.Nodes;
using Basalt.Client;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Client;

/// <summary>The dashboard's routes through the .NET client: the SQL console, records import and export, the rule checks, and the install link.</summary>
public abstract class ClientDashboardTests(BasaltServerFixture server)
{
    [Fact]
    public async Task Sql_query_returns_rows_and_a_refused_statement_names_the_query()
    {
        await using var admin = await ClientKit.SuperuserAsync(server);

        var result = await admin.Sql.QueryAsync("SELECT 2 AS two, 'b' AS letter", maxRows: 10);
        var refused = await Assert.ThrowsAsync<ClientResponseException>(() => admin.Sql.QueryAsync("DELETE FROM _superusers"));

        Assert.Equal(["two", "letter"], result.Columns);
        Assert.Equal("""[2,"b"]""", Assert.Single(result.Rows).ToJsonString());
        Assert.False(result.Truncated);
        Assert.Equal(400, refused.Status);
        Assert.Equal("sql_error", refused.FieldErrors["query"].Code);
    }

    [Fact]
    public async Task Records_export_as_csv_and_import_into_another_collection()
    {
        await using var admin = await ClientKit.SuperuserAsync(server);
        var source = await ClientKit.CreatePostsAsync(admin);
        var target = await ClientKit.CreatePostsAsync(admin);
        await admin.Collection(source).CreateAsync(new JsonObject { ["title"] = "exported", ["views"] = 7, ["tags"] = new JsonArray("a", "c") });

        var csv = await admin.Collections.ExportRecordsAsync(source, "csv");
        var json = JsonNode.Parse(await admin.Collections.ExportRecordsAsync(source))!.AsArray();
        var imported = await admin.Collections.ImportRecordsAsync(target, csv, "csv");
        var copy = Assert.Single((await admin.Collection(target).GetListAsync()).Items);
        var rejected = await Assert.ThrowsAsync<ClientResponseException>(() =>
            admin.Collections.ImportRecordsAsync(target, Encoding.UTF8.GetBytes("""[{"tags": ["zzz"]}]""")));

        Assert.StartsWith("id,title,", Encoding.UTF8.GetString(csv), StringComparison.Ordinal);
        Assert.Equal("exported", Assert.Single(json)!["title"]!.GetValue<string>());
        Assert.Equal(1, imported);
        Assert.Equal("exported", copy["title"]!.GetValue<string>());
        Assert.Equal("""["a","c"]""", copy["tags"]!.ToJsonString());
        Assert.Equal(400, rejected.Status);
        Assert.Equal(1, rejected.ErrorData["rows"]![0]!["row"]!.GetValue<int>());
    }

    [Fact]
    public async Task Expressions_are_checked_and_names_listed()
    {
        await using var admin = await ClientKit.SuperuserAsync(server);
        var posts = await ClientKit.CreatePostsAsync(admin);

        var valid = await admin.Collections.CheckExpressionAsync(JsonValue.Create(posts), "rule", "views > 1 && owner.email != ''");
        var invalid = await admin.Collections.CheckExpressionAsync(JsonValue.Create(posts), "filter", "views >");
        var names = await admin.Collections.GetExpressionNamesAsync(posts);

        Assert.True(valid.Valid, valid.Message);
        Assert.False(invalid.Valid);
        Assert.NotNull(invalid.Message);
        Assert.Contains("owner.email", names["relations"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public async Task An_unknown_install_token_is_not_usable_and_cannot_install()
    {
        await using var guest = ClientKit.Guest(server);

        var usable = await guest.Install.IsUsableAsync("not-a-token");
        var refused = await Assert.ThrowsAsync<ClientResponseException>(() => guest.Install.CreateSuperuserAsync("not-a-token", "x@example.com", "long-password-1", "long-password-1"));

        Assert.False(usable);
        Assert.Equal(401, refused.Status);
        Assert.False(guest.AuthStore.IsValid);
    }
}

public sealed class ClientDashboardSqliteTests(SqliteServerFixture f) : ClientDashboardTests(f), IClassFixture<SqliteServerFixture>;

public sealed class ClientDashboardPostgresTests(PostgresServerFixture f) : ClientDashboardTests(f), IClassFixture<PostgresServerFixture>;
