using System.Net;
using System.Text.Json.Nodes;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Records;

/// <summary>Helpers shared by the records API tests: collections made through the collections API, records through the records API.</summary>
public abstract class RecordsTestBase(BasaltServerFixture fixture)
{
    protected BasaltServerFixture Server { get; } = fixture;

    protected HttpClient Superuser => Server.Superuser;

    protected HttpClient Guest => Server.Guest;

    protected static JsonNode Json(string json) => JsonNode.Parse(json)!;

    protected static string Records(string collection, string? id = null, string? query = null) =>
        $"/api/collections/{collection}/records" + (id is null ? "" : "/" + Uri.EscapeDataString(id)) + (query is null ? "" : "?" + query);

    /// <summary>Creates a collection (fields as wire JSON) as superuser with every rule open unless given, and returns its JSON.</summary>
    protected async Task<JsonObject> CreateCollectionAsync(string name, string fields, string? rules = null, string type = "base", string? extra = null)
    {
        var body = new JsonObject
        {
            ["name"] = name,
            ["type"] = type,
            ["fields"] = Json(fields),
            ["listRule"] = "",
            ["viewRule"] = "",
            ["createRule"] = "",
            ["updateRule"] = "",
            ["deleteRule"] = "",
        };
        foreach (var source in new[] { rules, extra })
        {
            if (source is null)
            {
                continue;
            }

            foreach (var (key, value) in (JsonObject)Json(source))
            {
                body[key] = value?.DeepClone();
            }
        }

        var (status, json) = await Superuser.PostJsonAsync("/api/collections", body.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, $"create collection {name}: {(int)status} {json?.ToJsonString()}");
        return (JsonObject)json!;
    }

    protected async Task<JsonObject> CreateRecordAsync(string collection, object body, HttpClient? client = null)
    {
        var (status, json) = await (client ?? Superuser).PostJsonAsync(Records(collection), body is JsonNode node ? node.ToJsonString() : body);
        Assert.True(status == HttpStatusCode.OK, $"create record in {collection}: {(int)status} {json?.ToJsonString()}");
        return (JsonObject)json!;
    }

    protected async Task<JsonObject> ViewAsync(string collection, string id, string? query = null)
    {
        var (status, json) = await Superuser.GetJsonAsync(Records(collection, id, query));
        Assert.True(status == HttpStatusCode.OK, $"view {collection}/{id}: {(int)status} {json?.ToJsonString()}");
        return (JsonObject)json!;
    }

    protected async Task<long> CountAsync(string collection)
    {
        var (status, json) = await Superuser.GetJsonAsync(Records(collection, query: "perPage=1"));
        Assert.Equal(HttpStatusCode.OK, status);
        return json!["totalItems"]!.GetValue<long>();
    }

    /// <summary>An auth collection with open rules, one user in it, and a client signed in as that user.</summary>
    protected async Task<(string Collection, string UserId, HttpClient Client)> CreateSignedInUserAsync(string? extraFields = null)
    {
        var users = HttpJson.UniqueName("users");
        await CreateCollectionAsync(users, extraFields ?? "[]", type: "auth");
        var email = users + "@example.com";
        var user = await CreateRecordAsync(users, new { email, password = "12345678", passwordConfirm = "12345678" }, Guest);
        var client = await Server.SignInAsync(users, email, "12345678");
        return (users, user["id"]!.GetValue<string>(), client);
    }

    protected static void AssertError(HttpStatusCode expected, (HttpStatusCode Status, JsonNode? Body) response, string? field = null, string? code = null)
    {
        var text = response.Body?.ToJsonString();
        Assert.True(expected == response.Status, $"expected {(int)expected}, got {(int)response.Status}: {text}");
        Assert.NotNull(response.Body);
        Assert.Equal((int)expected, response.Body!["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(response.Body["message"]?.GetValue<string>()));
        Assert.IsType<JsonObject>(response.Body["data"]);
        if (field is not null)
        {
            Assert.True(response.Body["data"]![field] is not null, $"data should name {field}: {text}");
            if (code is not null)
            {
                Assert.Equal(code, response.Body["data"]![field]!["code"]?.GetValue<string>());
            }
        }
    }
}
