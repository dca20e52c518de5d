using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.OpenApi;

/// <summary>
/// The document as a client generator reads it: for every record route of the showcase collections, a request built
/// only from the document (path, parameters, a body made from the request schema) gets one of the statuses the document
/// lists, a success for a superuser and the documented refusal for a guest where the rule refuses.
/// </summary>
public abstract class OpenApiRouteTests(BasaltServerFixture server)
{
    /// <summary>The order that leaves a record to view, update and delete: create first, delete last.</summary>
    private static readonly (string Suffix, string Method)[] Order =
        [("/records", "post"), ("/records", "get"), ("/records/{id}", "get"), ("/records/{id}", "patch"), ("/records/{id}", "delete")];

    [Fact]
    public async Task Every_collection_route_answers_a_documented_success_for_a_superuser()
    {
        var (posts, members) = await OpenApiKit.CreateShowcaseAsync(server);
        var doc = await OpenApiKit.DocumentAsync(server.Superuser);

        var checkedRoutes = 0;
        foreach (var collection in new[] { posts, members })
        {
            string? id = null;
            foreach (var (suffix, method) in Order)
            {
                var path = $"/api/collections/{collection}{suffix}";
                var operation = doc["paths"]![path]?[method]?.AsObject();
                Assert.True(operation is not null, $"{method} {path} is not in the document");
                var (status, body) = await SendAsync(server.Superuser, doc, path, method, operation, id);
                id ??= body?["id"]?.GetValue<string>();

                Assert.True(Documented(operation, status), $"{method} {path} answered {(int)status}, not a documented status: {body?.ToJsonString()}");
                Assert.True((int)status is >= 200 and < 300, $"{method} {path} answered {(int)status}: {body?.ToJsonString()}");
                checkedRoutes++;
            }
        }

        Assert.Equal(10, checkedRoutes);
    }

    [Fact]
    public async Task A_guest_gets_the_documented_refusals()
    {
        var (posts, _) = await OpenApiKit.CreateShowcaseAsync(server);
        var doc = await OpenApiKit.DocumentAsync(server.Superuser);
        var createPath = $"/api/collections/{posts}/records";
        var (_, created) = await SendAsync(server.Guest, doc, createPath, "post", doc["paths"]![createPath]!["post"]!.AsObject(), null);
        var id = created!["id"]!.GetValue<string>();
        var onePath = $"/api/collections/{posts}/records/{{id}}";

        foreach (var (method, expected) in new[] { ("patch", HttpStatusCode.NotFound), ("delete", HttpStatusCode.Forbidden) })
        {
            var operation = doc["paths"]![onePath]![method]!.AsObject();
            var (status, body) = await SendAsync(server.Guest, doc, onePath, method, operation, id);

            Assert.Equal(expected, status);
            Assert.True(Documented(operation, status), $"{method} answered {(int)status}, not documented");
            Assert.Equal((int)expected, body!["status"]!.GetValue<int>());
        }
    }

    private static bool Documented(JsonObject operation, HttpStatusCode status) =>
        operation["responses"]!.AsObject().ContainsKey(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Builds the request from the operation alone: path parameters, and a JSON body sampled from its schema.</summary>
    private static async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpClient client, JsonObject doc, string path, string method, JsonObject operation, string? id)
    {
        var url = path.Replace("{id}", id ?? "", StringComparison.Ordinal);
        using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), url);
        if (operation["requestBody"]?["content"]?["application/json"]?["schema"] is JsonObject schema)
        {
            var body = SchemaSamples.Sample(schema, doc, method == "post");
            request.Content = new StringContent(body!.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }
}

public sealed class OpenApiRouteSqliteTests(SqliteServerFixture f) : OpenApiRouteTests(f), IClassFixture<SqliteServerFixture>;

public sealed class OpenApiRoutePostgresTests(PostgresServerFixture f) : OpenApiRouteTests(f), IClassFixture<PostgresServerFixture>;
