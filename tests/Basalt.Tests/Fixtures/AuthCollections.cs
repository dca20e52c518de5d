using System.Net;
using System.Text.Json.Nodes;

namespace Basalt.Tests.Fixtures;

/// <summary>Creates uniquely named auth collections for tests, with extra collection options on top, and users in them.</summary>
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

    /// <summary>
    /// Creates a user through the records API (as a guest, or as the superuser when <paramref name="asSuperuser"/>), with
    /// <paramref name="extra"/> fields, and signs it in with its password.
    /// </summary>
    public static async Task<SignedUpUser> SignUpAsync(
        BasaltServerFixture server, string collection, string email, string password, JsonObject? extra = null, bool asSuperuser = false)
    {
        var body = new JsonObject { ["email"] = email, ["password"] = password, ["passwordConfirm"] = password };
        foreach (var (key, value) in extra ?? [])
        {
            body[key] = value?.DeepClone();
        }

        var (status, record) = await (asSuperuser ? server.Superuser : server.Guest).PostJsonAsync(
            $"/api/collections/{collection}/records", body.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, record?.ToJsonString());
        var (signedIn, auth) = await server.Guest.PostJsonAsync($"/api/collections/{collection}/auth-with-password", new { identity = email, password });
        Assert.True(signedIn == HttpStatusCode.OK, auth?.ToJsonString());
        return new SignedUpUser(collection, record!["id"]!.GetValue<string>(), email, auth!["token"]!.GetValue<string>());
    }
}
