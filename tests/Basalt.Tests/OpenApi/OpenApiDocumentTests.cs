using System.Net;
using System.Text.Json.Nodes;
using Basalt.Hosting;
using Basalt.Tests.Fixtures;
using Microsoft.OpenApi;

namespace Basalt.Tests.OpenApi;

/// <summary>
/// <c>GET /api/openapi.json</c>: a valid OpenAPI 3.1 document (read and validated by Microsoft.OpenApi), built from the
/// collections as they are now, with their fields and rules, and who may read it.
/// </summary>
public abstract class OpenApiDocumentTests(BasaltServerFixture server)
{
    [Fact]
    public async Task The_document_is_valid_openapi_3_1()
    {
        await OpenApiKit.CreateShowcaseAsync(server);

        var json = await OpenApiKit.DocumentTextAsync(server.Superuser);
        var (document, diagnostic) = OpenApiDocument.Parse(json, "json");
        Assert.NotNull(document);
        var errors = document.Validate(ValidationRuleSet.GetDefaultRuleSet())?.ToList() ?? [];

        Assert.True(diagnostic!.Errors.Count == 0, string.Join('\n', diagnostic.Errors.Select(e => e.Pointer + ": " + e.Message)));
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, diagnostic.SpecificationVersion);
        Assert.True(errors.Count == 0, string.Join('\n', errors.Select(e => e.Pointer + ": " + e.Message)));
        Assert.True(document.Components?.SecuritySchemes?.ContainsKey("bearerAuth"));
    }

    [Fact]
    public async Task Collections_appear_with_fields_rules_in_words_and_auth_routes()
    {
        var (posts, members) = await OpenApiKit.CreateShowcaseAsync(server);

        var doc = await OpenApiKit.DocumentAsync(server.Superuser);
        var paths = doc["paths"]!.AsObject();
        var schemas = doc["components"]!["schemas"]!;
        var record = schemas["records." + posts]!;
        var create = schemas["records." + posts + ".create"]!;
        var list = paths[$"/api/collections/{posts}/records"]!["get"]!;
        var update = paths[$"/api/collections/{posts}/records/{{id}}"]!["patch"]!;
        var delete = paths[$"/api/collections/{posts}/records/{{id}}"]!["delete"]!;

        Assert.Equal("integer", record["properties"]!["rating"]!["type"]!.GetValue<string>());
        Assert.Equal(10, record["properties"]!["rating"]!["maximum"]!.GetValue<double>());
        Assert.Equal(["draft", "live"], record["properties"]!["status"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("array", record["properties"]!["tags"]!["type"]!.GetValue<string>());
        Assert.True(record["properties"]!["created"]!["readOnly"]!.GetValue<bool>());
        Assert.Null(create["properties"]!["created"]);
        Assert.Contains("title", create["required"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Contains("Anyone", list["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("the caller is signed in", update["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("Superusers only", delete["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(paths[$"/api/collections/{members}/auth-with-password"]!["post"]);
        Assert.NotNull(paths[$"/api/collections/{members}/impersonate/{{id}}"]!["post"]);
        Assert.Equal("#/components/schemas/Error", doc["components"]!["responses"]!["BadRequest"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.NotNull(paths["/api/settings"]);
        Assert.NotNull(paths["/api/backups"]);
    }

    [Fact]
    public async Task A_collection_change_rebuilds_the_document()
    {
        var (posts, _) = await OpenApiKit.CreateShowcaseAsync(server);
        var before = await OpenApiKit.DocumentAsync(server.Superuser);

        var (status, body) = await server.Superuser.PatchJsonAsync($"/api/collections/{posts}", new JsonObject { ["deleteRule"] = "status = 'draft'" });
        var after = await OpenApiKit.DocumentAsync(server.Superuser);

        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        Assert.Contains("Superusers only", before["paths"]![$"/api/collections/{posts}/records/{{id}}"]!["delete"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("the record's `status` equals \"draft\"", after["paths"]![$"/api/collections/{posts}/records/{{id}}"]!["delete"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_superusers_read_it_by_default()
    {
        var user = await AuthCollections.SignUpAsync(server, "users", HttpJson.UniqueName("reader") + "@example.com", "reader-password-1");
        using var client = server.NewClient(user.Token);

        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Guest.GetJsonAsync("/api/openapi.json")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetJsonAsync("/api/openapi.json")).Status);
        Assert.Equal(HttpStatusCode.OK, (await server.Superuser.GetJsonAsync("/api/openapi.json")).Status);
    }
}

/// <summary>With <c>--openapi public</c>: others get what they may call, nothing locked, hidden or superuser-only.</summary>
public abstract class OpenApiPublicTests(BasaltServerFixture server)
{
    [Fact]
    public async Task Guests_get_the_public_document()
    {
        var (posts, _) = await OpenApiKit.CreateShowcaseAsync(server);
        var (status, locked) = await server.Superuser.PostJsonAsync("/api/collections", new JsonObject { ["name"] = HttpJson.UniqueName("locked"), ["type"] = "base" });
        Assert.Equal(HttpStatusCode.OK, status);

        var doc = await OpenApiKit.DocumentAsync(server.Guest);
        var paths = doc["paths"]!.AsObject();
        var json = doc.ToJsonString();
        var (_, validation) = OpenApiDocument.Parse(json, "json");

        Assert.Empty(validation!.Errors);
        Assert.NotNull(paths[$"/api/collections/{posts}/records"]!["get"]);
        Assert.Null(paths[$"/api/collections/{posts}/records/{{id}}"]!["delete"]);
        Assert.DoesNotContain(locked!["name"]!.GetValue<string>(), json, StringComparison.Ordinal);
        Assert.Null(doc["components"]!["schemas"]!["records." + posts]!["properties"]!["secret"]);
        Assert.Null(paths["/api/settings"]);
        Assert.NotNull(paths["/api/health"]);
    }
}

public sealed class OpenApiDocumentSqliteTests(SqliteServerFixture f) : OpenApiDocumentTests(f), IClassFixture<SqliteServerFixture>;

public sealed class OpenApiDocumentPostgresTests(PostgresServerFixture f) : OpenApiDocumentTests(f), IClassFixture<PostgresServerFixture>;

/// <summary>SQLite with the OpenAPI document open to everyone.</summary>
public sealed class PublicOpenApiSqliteFixture : BasaltServerFixture
{
    protected override StorageKind Kind => StorageKind.Sqlite;

    protected override void Configure(BasaltOptions options) => options.PublicOpenApi = true;
}

/// <summary>PostgreSQL with the OpenAPI document open to everyone.</summary>
public sealed class PublicOpenApiPostgresFixture : BasaltServerFixture
{
    protected override StorageKind Kind => StorageKind.Postgres;

    protected override void Configure(BasaltOptions options) => options.PublicOpenApi = true;
}

public sealed class OpenApiPublicSqliteTests(PublicOpenApiSqliteFixture f) : OpenApiPublicTests(f), IClassFixture<PublicOpenApiSqliteFixture>;

public sealed class OpenApiPublicPostgresTests(PublicOpenApiPostgresFixture f) : OpenApiPublicTests(f), IClassFixture<PublicOpenApiPostgresFixture>;
