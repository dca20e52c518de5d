using System.Net;
using System.Text.Json.Nodes;

namespace Basalt.Tests.Fixtures;

/// <summary>Creates uniquely named auth collections for tests, with extra collection options on top.</summary>
public static class AuthCollections
{
    public static async Task<string> CreateAsync(BasaltServerFixture server, JsonObject? options)
    {
        var name = HttpJson.UniqueName("members");
        var body = new JsonObject
        {
            ["name"] = name,
            ["type"] = "auth",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "username", ["type"] = "text" }),
        };
        foreach (var (key, value) in options ?? [])
        {
            body[key] = value?.DeepClone();
        }

        var (status, created) = await server.Superuser.PostJsonAsync("/api/collections", body.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, created?.ToJsonString());
        return name;
    }
}
