using System.Net;
using System.Text.Json.Nodes;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.OpenApi;

/// <summary>What the OpenAPI tests share: collections with every kind of field and rule, and reading the document.</summary>
internal static class OpenApiKit
{
    /// <summary>
    /// A base collection with a field of each type (some required, one hidden) and one rule of each kind (open, an
    /// expression, locked), and an auth collection; returns their names.
    /// </summary>
    public static async Task<(string Posts, string Members)> CreateShowcaseAsync(BasaltServerFixture server)
    {
        var posts = HttpJson.UniqueName("showcase");
        await CreateAsync(server, new JsonObject
        {
            ["name"] = posts,
            ["type"] = "base",
            ["listRule"] = "",
            ["viewRule"] = "",
            ["createRule"] = "",
            ["updateRule"] = "@request.auth.id != ''",
            ["deleteRule"] = null,
            ["fields"] = new JsonArray(
                new JsonObject { ["name"] = "title", ["type"] = "text", ["required"] = true, ["min"] = 3, ["max"] = 100 },
                new JsonObject { ["name"] = "rating", ["type"] = "number", ["required"] = true, ["onlyInt"] = true, ["min"] = 1, ["max"] = 10 },
                new JsonObject { ["name"] = "status", ["type"] = "select", ["required"] = true, ["values"] = new JsonArray("draft", "live"), ["maxSelect"] = 1 },
                new JsonObject { ["name"] = "tags", ["type"] = "select", ["values"] = new JsonArray("a", "b", "c"), ["maxSelect"] = 3 },
                new JsonObject { ["name"] = "published", ["type"] = "bool" },
                new JsonObject { ["name"] = "contact", ["type"] = "email", ["required"] = true },
                new JsonObject { ["name"] = "site", ["type"] = "url" },
                new JsonObject { ["name"] = "body", ["type"] = "editor" },
                new JsonObject { ["name"] = "when", ["type"] = "date", ["required"] = true },
                new JsonObject { ["name"] = "meta", ["type"] = "json" },
                new JsonObject { ["name"] = "spot", ["type"] = "geoPoint" },
                new JsonObject { ["name"] = "attachment", ["type"] = "file", ["maxSelect"] = 2 },
                new JsonObject { ["name"] = "owner", ["type"] = "relation", ["collectionId"] = "_pb_users_auth_", ["maxSelect"] = 1 },
                new JsonObject { ["name"] = "secret", ["type"] = "text", ["hidden"] = true },
                new JsonObject { ["name"] = "created", ["type"] = "autodate", ["onCreate"] = true },
                new JsonObject { ["name"] = "updated", ["type"] = "autodate", ["onCreate"] = true, ["onUpdate"] = true }),
        });
        var members = HttpJson.UniqueName("showmembers");
        await CreateAsync(server, new JsonObject
        {
            ["name"] = members,
            ["type"] = "auth",
            ["listRule"] = "",
            ["viewRule"] = "",
            ["createRule"] = "",
            ["updateRule"] = "id = @request.auth.id",
            ["deleteRule"] = "id = @request.auth.id",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "nickname", ["type"] = "text", ["required"] = true }),
        });
        return (posts, members);
    }

    public static async Task<string> DocumentTextAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/api/openapi.json");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return text;
    }

    public static async Task<JsonObject> DocumentAsync(HttpClient client) => JsonNode.Parse(await DocumentTextAsync(client))!.AsObject();

    private static async Task CreateAsync(BasaltServerFixture server, JsonObject collection)
    {
        var (status, body) = await server.Superuser.PostJsonAsync("/api/collections", collection.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
    }
}
