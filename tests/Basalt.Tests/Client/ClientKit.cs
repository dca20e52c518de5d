using System.Text.Json.Nodes;
using Basalt.Client;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Client;

/// <summary>What the client tests share: clients of the fixture's server, and collections made through the client.</summary>
internal static class ClientKit
{
    /// <summary>A client with no credentials over its own HttpClient (disposed with the returned scope).</summary>
    public static BasaltClient Guest(BasaltServerFixture server) =>
        new(new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) });

    /// <summary>A client signed in as the fixture's superuser through the client's own password sign-in.</summary>
    public static async Task<BasaltClient> SuperuserAsync(BasaltServerFixture server)
    {
        var client = Guest(server);
        await client.Superusers.AuthWithPasswordAsync(BasaltServerFixture.SuperuserEmail, BasaltServerFixture.SuperuserPassword);
        return client;
    }

    /// <summary>
    /// A base collection named <c>{prefix}_…</c> open to everyone, with <c>title</c> (text), <c>views</c> (number),
    /// <c>done</c> (bool), <c>tags</c> (multi select a/b/c), <c>meta</c> (json), <c>owner</c> (relation to users) and
    /// autodate <c>created</c>/<c>updated</c>.
    /// </summary>
    public static async Task<string> CreatePostsAsync(BasaltClient superuser, string prefix = "posts", JsonObject? extra = null)
    {
        var name = HttpJson.UniqueName(prefix);
        var body = new JsonObject
        {
            ["name"] = name,
            ["type"] = "base",
            ["listRule"] = "",
            ["viewRule"] = "",
            ["createRule"] = "",
            ["updateRule"] = "",
            ["deleteRule"] = "",
            ["fields"] = new JsonArray(
                new JsonObject { ["name"] = "title", ["type"] = "text" },
                new JsonObject { ["name"] = "views", ["type"] = "number" },
                new JsonObject { ["name"] = "done", ["type"] = "bool" },
                new JsonObject { ["name"] = "tags", ["type"] = "select", ["values"] = new JsonArray("a", "b", "c"), ["maxSelect"] = 3 },
                new JsonObject { ["name"] = "meta", ["type"] = "json" },
                new JsonObject { ["name"] = "owner", ["type"] = "relation", ["collectionId"] = "_pb_users_auth_", ["maxSelect"] = 1 },
                new JsonObject { ["name"] = "created", ["type"] = "autodate", ["onCreate"] = true },
                new JsonObject { ["name"] = "updated", ["type"] = "autodate", ["onCreate"] = true, ["onUpdate"] = true }),
        };
        foreach (var (key, value) in extra ?? [])
        {
            body[key] = value?.DeepClone();
        }

        await superuser.Collections.CreateAsync(body);
        return name;
    }

    public static string Id(JsonObject record) => record["id"]!.GetValue<string>();
}
