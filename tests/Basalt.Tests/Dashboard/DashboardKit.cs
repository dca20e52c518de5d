using System.Net;
using System.Text.Json.Nodes;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Dashboard;

/// <summary>What the dashboard API tests share: a signed-in user and collections made through the API.</summary>
internal static class DashboardKit
{
    /// <summary>A user of a fresh auth collection; returns its token.</summary>
    public static async Task<string> SignUpUserAsync(BasaltServerFixture server)
    {
        var collection = await AuthCollections.CreateAsync(server, new JsonObject { ["createRule"] = "" });
        var email = HttpJson.UniqueName("user") + "@example.com";
        return (await AuthCollections.SignUpAsync(server, collection, email, "user-password-1", asSuperuser: true)).Token;
    }

    /// <summary>
    /// A base collection with <c>title</c> (text, required), <c>n</c> (number), <c>flag</c> (bool), <c>tags</c>
    /// (select a/b/c, up to 3), <c>meta</c> (json) and <c>note</c> (text).
    /// </summary>
    public static async Task<string> CreateItemsAsync(BasaltServerFixture server, string? name = null)
    {
        name ??= HttpJson.UniqueName("items");
        var body = new JsonObject
        {
            ["name"] = name,
            ["type"] = "base",
            ["fields"] = new JsonArray(
                new JsonObject { ["name"] = "title", ["type"] = "text", ["required"] = true },
                new JsonObject { ["name"] = "n", ["type"] = "number" },
                new JsonObject { ["name"] = "flag", ["type"] = "bool" },
                new JsonObject { ["name"] = "tags", ["type"] = "select", ["values"] = new JsonArray("a", "b", "c"), ["maxSelect"] = 3 },
                new JsonObject { ["name"] = "meta", ["type"] = "json" },
                new JsonObject { ["name"] = "note", ["type"] = "text" }),
        };
        var (status, created) = await server.Superuser.PostJsonAsync("/api/collections", body.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, created?.ToJsonString());
        return name;
    }
}
