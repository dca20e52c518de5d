using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Basalt.Tests.Fixtures;
using Microsoft.IdentityModel.Tokens;

namespace Basalt.Tests.Auth;

/// <summary>
/// The named providers' user mapping (against endpoints shaped like theirs), the providers of auth-methods, and the
/// answers to bad requests: each a 4xx envelope naming the field, never a 500, never the provider's error body.
/// </summary>
public abstract class OAuth2ProviderTests(BasaltServerFixture server, OidcTestProvider provider) : OAuth2Tests(server, provider)
{
    [Fact]
    public async Task Google_maps_the_OpenID_claims()
    {
        var name = await CreateCollectionAsync([NamedConfig("google", "/userinfo")]);
        var user = NewUser() with { Picture = "https://example.com/g.png" };

        var meta = await MetaAsync(name, "google", user);

        Assert.Equal((user.Sub, "Ada Lovelace", "ada", user.Email, "https://example.com/g.png"), Mapped(meta));
    }

    [Fact]
    public async Task GitHub_maps_the_profile_and_reads_a_private_email_from_user_emails()
    {
        var name = await CreateCollectionAsync([NamedConfig("github", "/user")]);
        var user = new OidcTestProvider.TestUser("4242", "octo@example.com", true, "Octo Cat", "octocat", "https://example.com/o.png") { PrivateEmail = true };

        var meta = await MetaAsync(name, "github", user);

        Assert.Equal(("4242", "Octo Cat", "octocat", "octo@example.com", "https://example.com/o.png"), Mapped(meta));
    }

    [Fact]
    public async Task GitHub_ignores_an_unverified_primary_email()
    {
        var name = await CreateCollectionAsync([NamedConfig("github", "/user")]);
        var user = new OidcTestProvider.TestUser("4343", "unverified@example.com", false, "", "ghost") { PrivateEmail = true };

        var (status, body) = await SignInAsync(name, user, "github");

        // PocketBase's auth email field is optional, so the sign-up goes through without an address.
        if (status == HttpStatusCode.OK)
        {
            Assert.Equal("", body!["meta"]!["email"]!.GetValue<string>());
            Assert.Equal("", body["record"]!["email"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Microsoft_maps_the_Graph_profile()
    {
        var name = await CreateCollectionAsync([NamedConfig("microsoft", "/me")]);
        var user = NewUser();

        var meta = await MetaAsync(name, "microsoft", user);

        Assert.Equal((user.Sub, "Ada Lovelace", "", user.Email, ""), Mapped(meta));
    }

    [Fact]
    public async Task GitLab_maps_the_numeric_id_and_profile()
    {
        var name = await CreateCollectionAsync([NamedConfig("gitlab", "/api/v4/user")]);
        var user = new OidcTestProvider.TestUser("9001", "lab@example.com", true, "Lab User", "labuser", "https://example.com/l.png");

        var meta = await MetaAsync(name, "gitlab", user);

        Assert.Equal(("9001", "Lab User", "labuser", "lab@example.com", "https://example.com/l.png"), Mapped(meta));
    }

    [Fact]
    public async Task Discord_builds_the_avatar_URL_and_keeps_only_a_verified_email()
    {
        var name = await CreateCollectionAsync([NamedConfig("discord", "/users/@me")]);
        var user = new OidcTestProvider.TestUser("80351110224678912", "nelly@example.com", true, "Nelly", "nelly");

        var meta = await MetaAsync(name, "discord", user);

        Assert.Equal(
            ("80351110224678912", "Nelly", "nelly", "nelly@example.com", "https://cdn.discordapp.com/avatars/80351110224678912/a1b2c3.png"),
            Mapped(meta));
    }

    [Fact]
    public async Task Apple_reads_the_verified_id_token()
    {
        var config = NamedConfig("apple", "/jwks");
        config["extra"] = new JsonObject { ["issuers"] = new JsonArray(Provider.Issuer) };
        var name = await CreateCollectionAsync([config]);
        var user = NewUser();

        var meta = await MetaAsync(name, "apple", user);

        Assert.Equal((user.Sub, "", "", user.Email, ""), Mapped(meta));
    }

    [Fact]
    public async Task Apple_refuses_an_id_token_not_issued_by_Apple()
    {
        var name = await CreateCollectionAsync([NamedConfig("apple", "/jwks")]);

        var (status, body) = await SignInAsync(name, NewUser(), "apple");

        AssertError(HttpStatusCode.BadRequest, status, body);
    }

    [Fact]
    public async Task Auth_methods_offer_each_provider_with_a_fresh_state_and_an_S256_challenge()
    {
        var name = await CreateCollectionAsync([OidcConfig(), NamedConfig("github", "/user")]);

        var first = await MethodAsync(name, "oidc");
        var second = await MethodAsync(name, "oidc");
        var github = await MethodAsync(name, "github");

        Assert.Equal("OpenID Connect", first["displayName"]!.GetValue<string>());
        Assert.Equal("GitHub", github["displayName"]!.GetValue<string>());
        var state = first["state"]!.GetValue<string>();
        Assert.Equal(30, state.Length);
        Assert.NotEqual(state, second["state"]!.GetValue<string>());
        var authUrl = first["authURL"]!.GetValue<string>();
        Assert.StartsWith(Provider.Url("/authorize?"), authUrl, StringComparison.Ordinal);
        Assert.EndsWith("&redirect_uri=", authUrl, StringComparison.Ordinal);
        Assert.Contains("state=" + state, authUrl, StringComparison.Ordinal);
        Assert.Contains("client_id=" + OidcTestProvider.ClientId, authUrl, StringComparison.Ordinal);
        Assert.Equal("S256", first["codeChallengeMethod"]!.GetValue<string>());
        var verifier = first["codeVerifier"]!.GetValue<string>();
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        Assert.Equal(challenge, first["codeChallenge"]!.GetValue<string>());
        Assert.Contains("code_challenge=" + challenge, authUrl, StringComparison.Ordinal);
        Assert.Equal("", first["logo"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_provider_without_PKCE_gets_no_challenge_and_still_signs_in()
    {
        var config = OidcConfig();
        config["pkce"] = false;
        var name = await CreateCollectionAsync([config]);

        var method = await MethodAsync(name, "oidc");
        var (status, body) = await SignInAsync(name, NewUser());

        Assert.Equal("", method["codeVerifier"]!.GetValue<string>());
        Assert.Equal("", method["codeChallengeMethod"]!.GetValue<string>());
        Assert.DoesNotContain("code_challenge", method["authURL"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
    }

    [Fact]
    public async Task Disabled_OAuth2_lists_no_providers_and_refuses_the_sign_in()
    {
        var name = await CreateCollectionAsync([OidcConfig()], enabled: false);

        var (_, methods) = await Server.Guest.GetJsonAsync($"/api/collections/{name}/auth-methods");
        var (status, body) = await Server.Guest.PostJsonAsync(
            $"/api/collections/{name}/auth-with-oauth2", """{"provider":"oidc","code":"x","codeVerifier":"y","redirectURL":"http://127.0.0.1:1/"}""");

        Assert.Equal("""{"enabled":false,"providers":[]}""", methods!["oauth2"]!.ToJsonString());
        Assert.Equal("[]", methods["authProviders"]!.ToJsonString());
        AssertError(HttpStatusCode.Forbidden, status, body);
        var (malformed, malformedBody) = await Server.Guest.PostJsonAsync($"/api/collections/{name}/auth-with-oauth2", "{");
        AssertError(HttpStatusCode.Forbidden, malformed, malformedBody);
    }

    [Theory]
    [InlineData("""{"provider":"github","code":"x","redirectURL":"http://127.0.0.1:1/"}""", "provider", "validation_invalid_provider")]
    [InlineData("""{"provider":"nope","code":"x","redirectURL":"http://127.0.0.1:1/"}""", "provider", "validation_invalid_provider")]
    [InlineData("""{"code":"x","redirectURL":"http://127.0.0.1:1/"}""", "provider", "validation_required")]
    [InlineData("""{"provider":"oidc","redirectURL":"http://127.0.0.1:1/"}""", "code", "validation_required")]
    [InlineData("""{"provider":"oidc","code":"x"}""", "redirectURL", "validation_required")]
    public async Task A_missing_field_or_unconfigured_provider_is_named(string json, string field, string code)
    {
        var name = await CreateCollectionAsync([OidcConfig()]);

        var (status, body) = await Server.Guest.PostJsonAsync($"/api/collections/{name}/auth-with-oauth2", json);

        AssertError(HttpStatusCode.BadRequest, status, body);
        Assert.Equal(code, body!["data"]![field]!["code"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"provider":1,"code":"x","redirectURL":"http://127.0.0.1:1/"}""")]
    [InlineData("""{"provider":"oidc","code":"x","redirectURL":"http://127.0.0.1:1/","createData":"x"}""")]
    [InlineData("""{"provider":"oidc",""")]
    [InlineData("""[1,2]""")]
    public async Task A_malformed_body_is_a_400(string json)
    {
        var name = await CreateCollectionAsync([OidcConfig()]);

        var (status, body) = await Server.Guest.PostJsonAsync($"/api/collections/{name}/auth-with-oauth2", json);

        AssertError(HttpStatusCode.BadRequest, status, body);
        Assert.Empty(await RecordsAsync(name));
    }

    [Fact]
    public async Task The_legacy_redirectUrl_spelling_is_accepted()
    {
        var name = await CreateCollectionAsync([OidcConfig()]);
        var (code, verifier) = await AuthorizeAsync(name, "oidc", NewUser());

        var (status, body) = await Server.Guest.PostJsonAsync(
            $"/api/collections/{name}/auth-with-oauth2",
            new JsonObject { ["provider"] = "oidc", ["code"] = code, ["codeVerifier"] = verifier, ["redirectUrl"] = RedirectUrl }.ToJsonString());

        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
    }

    [Fact]
    public async Task An_unreachable_or_refusing_provider_is_a_400_without_its_error_body()
    {
        var unreachable = OidcConfig();
        unreachable["tokenURL"] = "http://127.0.0.1:1/token";
        var wrongSecret = OidcConfig("oidc2");
        wrongSecret["clientSecret"] = "not-the-secret";
        var name = await CreateCollectionAsync([unreachable, wrongSecret]);

        var (status, body) = await SignInAsync(name, NewUser());
        var (refused, refusedBody) = await SignInAsync(name, NewUser(), "oidc2");

        AssertError(HttpStatusCode.BadRequest, status, body);
        AssertError(HttpStatusCode.BadRequest, refused, refusedBody);
        Assert.Equal("Failed to fetch OAuth2 token.", refusedBody!["message"]!.GetValue<string>());
        Assert.Empty(await RecordsAsync(name));
    }

    [Fact]
    public async Task A_non_auth_collection_has_no_oauth2_route()
    {
        var (status, body) = await Server.Guest.PostJsonAsync("/api/collections/_externalAuths/auth-with-oauth2", "{}");

        AssertError(HttpStatusCode.NotFound, status, body);
    }

    private async Task<JsonNode> MetaAsync(string collection, string providerName, OidcTestProvider.TestUser user)
    {
        var (status, body) = await SignInAsync(collection, user, providerName);
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        Assert.Equal(user.Email, body!["record"]!["email"]!.GetValue<string>());
        return body["meta"]!;
    }

    private static (string, string, string, string, string) Mapped(JsonNode meta) => (
        meta["id"]!.GetValue<string>(),
        meta["name"]!.GetValue<string>(),
        meta["username"]!.GetValue<string>(),
        meta["email"]!.GetValue<string>(),
        meta["avatarURL"]!.GetValue<string>());
}

public sealed class OAuth2ProviderSqliteTests(SqliteServerFixture f, OidcTestProvider p)
    : OAuth2ProviderTests(f, p), IClassFixture<SqliteServerFixture>, IClassFixture<OidcTestProvider>;

public sealed class OAuth2ProviderPostgresTests(PostgresServerFixture f, OidcTestProvider p)
    : OAuth2ProviderTests(f, p), IClassFixture<PostgresServerFixture>, IClassFixture<OidcTestProvider>;
