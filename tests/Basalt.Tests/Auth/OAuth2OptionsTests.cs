using System.Net;
using System.Text.Json.Nodes;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Auth;

/// <summary>
/// The <c>oauth2</c> collection options: provider entries are validated with field-named errors, and the client secret
/// is write-only (never read back, kept when a client sends the provider back without it or blank).
/// </summary>
public abstract class OAuth2OptionsTests(BasaltServerFixture server, OidcTestProvider provider) : OAuth2Tests(server, provider)
{
    [Theory]
    [InlineData("name", "nope", "validation_unknown_provider")]
    [InlineData("name", "", "validation_required")]
    [InlineData("clientId", "", "validation_required")]
    [InlineData("clientSecret", "", "validation_required")]
    [InlineData("authURL", "", "validation_required")]
    [InlineData("tokenURL", "ftp://example.com/token", "validation_is_url")]
    [InlineData("userInfoURL", "not a url", "validation_is_url")]
    public async Task A_bad_provider_entry_is_named_in_the_error(string key, string value, string code)
    {
        var config = OidcConfig();
        config[key] = value;

        var (status, body) = await CreateRawAsync(new JsonArray(config), new JsonObject { ["name"] = "name" });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(code, body!["data"]!["oauth2"]!["providers"]!["0"]![key]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_provider_listed_twice_and_a_missing_mapped_field_are_refused()
    {
        var (status, body) = await CreateRawAsync(new JsonArray(OidcConfig(), OidcConfig()), new JsonObject { ["name"] = "nickname" });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("validation_duplicated_provider", body!["data"]!["oauth2"]!["providers"]!["1"]!["name"]!["code"]!.GetValue<string>());
        Assert.Equal("validation_missing_field", body["data"]!["oauth2"]!["mappedFields"]!["name"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_provider_PocketBase_knows_but_Basalt_does_not_implement_is_stored_but_not_offered()
    {
        var twitch = NamedConfig("twitch", "/userinfo");
        var name = await CreateCollectionAsync([twitch, OidcConfig()]);

        var (_, methods) = await Server.Guest.GetJsonAsync($"/api/collections/{name}/auth-methods");

        Assert.Equal(["oidc"], methods!["oauth2"]!["providers"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_client_secret_is_never_read_back_and_survives_a_round_trip()
    {
        var name = await CreateCollectionAsync([OidcConfig()]);
        var (_, collection) = await Server.Superuser.GetJsonAsync($"/api/collections/{name}");
        var providers = collection!["oauth2"]!["providers"]!.AsArray();
        Assert.DoesNotContain(OidcTestProvider.ClientSecret, collection.ToJsonString(), StringComparison.Ordinal);

        // The dashboard sends back what it read; a blank secret means "unchanged" too.
        var (patched, patchedBody) = await Server.Superuser.PatchJsonAsync(
            $"/api/collections/{name}", new JsonObject { ["oauth2"] = new JsonObject { ["providers"] = providers.DeepClone() } }.ToJsonString());
        providers[0]!["clientSecret"] = "";
        var (blanked, blankedBody) = await Server.Superuser.PatchJsonAsync(
            $"/api/collections/{name}", new JsonObject { ["oauth2"] = new JsonObject { ["providers"] = providers.DeepClone() } }.ToJsonString());
        var (status, body) = await SignInAsync(name, NewUser());

        Assert.True(patched == HttpStatusCode.OK, patchedBody?.ToJsonString());
        Assert.True(blanked == HttpStatusCode.OK, blankedBody?.ToJsonString());
        Assert.DoesNotContain(OidcTestProvider.ClientSecret, blankedBody!.ToJsonString(), StringComparison.Ordinal);
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
    }

    private Task<(HttpStatusCode Status, JsonNode? Body)> CreateRawAsync(JsonArray providers, JsonObject mappedFields) =>
        Server.Superuser.PostJsonAsync("/api/collections", new JsonObject
        {
            ["name"] = HttpJson.UniqueName("members"),
            ["type"] = "auth",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "name", ["type"] = "text" }),
            ["oauth2"] = new JsonObject { ["enabled"] = true, ["mappedFields"] = mappedFields, ["providers"] = providers },
        }.ToJsonString());
}

public sealed class OAuth2OptionsSqliteTests(SqliteServerFixture f, OidcTestProvider p)
    : OAuth2OptionsTests(f, p), IClassFixture<SqliteServerFixture>, IClassFixture<OidcTestProvider>;

public sealed class OAuth2OptionsPostgresTests(PostgresServerFixture f, OidcTestProvider p)
    : OAuth2OptionsTests(f, p), IClassFixture<PostgresServerFixture>, IClassFixture<OidcTestProvider>;
