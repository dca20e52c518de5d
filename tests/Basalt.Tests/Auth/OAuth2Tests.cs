using System.Net;
using System.Text.Json.Nodes;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Auth;

/// <summary>
/// What the OAuth2 tests share: a collection wired to the loopback <see cref="OidcTestProvider"/>, and the whole manual
/// flow of §7.3 (auth-methods → the provider's authorize redirect → auth-with-oauth2) as a browser and an app would run it.
/// </summary>
public abstract class OAuth2Tests(BasaltServerFixture server, OidcTestProvider provider)
{
    protected const string RedirectUrl = "http://127.0.0.1:1/oauth2-callback";

    protected BasaltServerFixture Server => server;

    protected OidcTestProvider Provider => provider;

    /// <summary>The OIDC provider entry pointing at the test provider, with the id_token checked against its JWKS.</summary>
    protected JsonObject OidcConfig(string name = "oidc") => new()
    {
        ["name"] = name,
        ["clientId"] = OidcTestProvider.ClientId,
        ["clientSecret"] = OidcTestProvider.ClientSecret,
        ["authURL"] = provider.Url("/authorize"),
        ["tokenURL"] = provider.Url("/token"),
        ["userInfoURL"] = provider.Url("/userinfo"),
        ["extra"] = new JsonObject { ["jwksURL"] = provider.Url("/jwks"), ["issuers"] = new JsonArray(provider.Issuer) },
    };

    /// <summary>A named provider whose URLs are overridden to the test provider's endpoints.</summary>
    protected JsonObject NamedConfig(string name, string userInfoPath) => new()
    {
        ["name"] = name,
        ["clientId"] = OidcTestProvider.ClientId,
        ["clientSecret"] = OidcTestProvider.ClientSecret,
        ["authURL"] = provider.Url("/authorize"),
        ["tokenURL"] = provider.Url("/token"),
        ["userInfoURL"] = provider.Url(userInfoPath),
    };

    /// <summary>
    /// An auth collection with OAuth2 on, the given providers, text fields name/username, a url field avatar (all mapped),
    /// and a createRule ("" = anyone may sign up) unless <paramref name="extra"/> replaces it.
    /// </summary>
    protected Task<string> CreateCollectionAsync(JsonArray providers, JsonObject? extra = null, bool enabled = true)
    {
        var options = new JsonObject
        {
            ["createRule"] = "",
            ["fields"] = new JsonArray(
                new JsonObject { ["name"] = "username", ["type"] = "text" },
                new JsonObject { ["name"] = "name", ["type"] = "text" },
                new JsonObject { ["name"] = "avatar", ["type"] = "url" }),
            ["oauth2"] = new JsonObject
            {
                ["enabled"] = enabled,
                ["mappedFields"] = new JsonObject { ["id"] = "", ["name"] = "name", ["username"] = "username", ["avatarURL"] = "avatar" },
                ["providers"] = providers,
            },
        };
        foreach (var (key, value) in extra ?? [])
        {
            options[key] = value?.DeepClone();
        }

        return AuthCollections.CreateAsync(server, options);
    }

    /// <summary>The provider's entry of auth-methods (fresh state and PKCE pair).</summary>
    protected async Task<JsonObject> MethodAsync(string collection, string providerName)
    {
        var (status, methods) = await server.Guest.GetJsonAsync($"/api/collections/{collection}/auth-methods");
        Assert.Equal(HttpStatusCode.OK, status);
        return methods!["oauth2"]!["providers"]!.AsArray().OfType<JsonObject>().Single(p => p["name"]!.GetValue<string>() == providerName);
    }

    /// <summary>Runs auth-methods and the provider's consent for <paramref name="user"/>; returns the code and the verifier.</summary>
    protected async Task<(string Code, string Verifier)> AuthorizeAsync(string collection, string providerName, OidcTestProvider.TestUser user)
    {
        var method = await MethodAsync(collection, providerName);
        var (code, state) = await provider.AuthorizeAsync(method["authURL"]!.GetValue<string>() + Uri.EscapeDataString(RedirectUrl), provider.AddUser(user));
        Assert.Equal(method["state"]!.GetValue<string>(), state);
        return (code, method["codeVerifier"]!.GetValue<string>());
    }

    /// <summary>The whole flow for <paramref name="user"/>, as <paramref name="client"/> (a guest unless given).</summary>
    protected async Task<(HttpStatusCode Status, JsonNode? Body)> SignInAsync(
        string collection, OidcTestProvider.TestUser user, string providerName = "oidc", HttpClient? client = null, JsonObject? createData = null)
    {
        var (code, verifier) = await AuthorizeAsync(collection, providerName, user);
        var body = new JsonObject { ["provider"] = providerName, ["code"] = code, ["codeVerifier"] = verifier, ["redirectURL"] = RedirectUrl };
        if (createData is not null)
        {
            body["createData"] = createData;
        }

        return await (client ?? server.Guest).PostJsonAsync($"/api/collections/{collection}/auth-with-oauth2", body.ToJsonString());
    }

    /// <summary>A record created by the superuser with a password (and verified when asked).</summary>
    protected async Task<string> CreateUserAsync(string collection, string email, string password, bool verified)
    {
        var (status, body) = await server.Superuser.PostJsonAsync(
            $"/api/collections/{collection}/records",
            new JsonObject { ["email"] = email, ["password"] = password, ["passwordConfirm"] = password, ["verified"] = verified }.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        return body!["id"]!.GetValue<string>();
    }

    protected async Task<JsonArray> RecordsAsync(string collection)
    {
        var (status, page) = await server.Superuser.GetJsonAsync($"/api/collections/{collection}/records?perPage=500");
        Assert.Equal(HttpStatusCode.OK, status);
        return page!["items"]!.AsArray();
    }

    /// <summary>The providers linked to a record, as <c>_externalAuths</c> holds them.</summary>
    protected async Task<List<string>> LinksAsync(string recordId)
    {
        var (status, page) = await server.Superuser.GetJsonAsync(
            "/api/collections/_externalAuths/records?perPage=500&filter=" + Uri.EscapeDataString($"recordRef='{recordId}'"));
        Assert.Equal(HttpStatusCode.OK, status);
        return [.. page!["items"]!.AsArray().Select(r => r!["provider"]!.GetValue<string>() + ":" + r["providerId"]!.GetValue<string>())];
    }

    protected static OidcTestProvider.TestUser NewUser(bool verified = true) =>
        new(Guid.NewGuid().ToString("N")[..12], $"u{Guid.NewGuid():N}"[..13] + "@example.com", verified, "Ada Lovelace", "ada");

    protected static void AssertError(HttpStatusCode expected, HttpStatusCode status, JsonNode? body)
    {
        Assert.True(status == expected, $"{(int)status}: {body?.ToJsonString()}");
        Assert.Equal((int)expected, body!["status"]!.GetValue<int>());
        Assert.DoesNotContain(OidcTestProvider.ClientSecret, body.ToJsonString(), StringComparison.Ordinal);
    }
}
