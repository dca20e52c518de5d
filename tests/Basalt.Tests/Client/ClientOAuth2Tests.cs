using System.Text.Json.Nodes;
using Basalt.Tests.Auth;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Client;

/// <summary>The manual OAuth2 flow through the .NET client against the loopback OpenID Connect provider, then linking and unlinking.</summary>
public abstract class ClientOAuth2Tests(BasaltServerFixture server, OidcTestProvider provider) : OAuth2Tests(server, provider)
{
    [Fact]
    public async Task Code_exchange_signs_up_and_the_link_can_be_listed_and_removed()
    {
        var name = await CreateCollectionAsync([OidcConfig()]);
        var user = NewUser();
        await using var client = ClientKit.Guest(Server);
        var members = client.Collection(name);

        var oidc = (await members.ListAuthMethodsAsync()).Providers.Single(p => p.Name == "oidc");
        var (code, state) = await Provider.AuthorizeAsync(oidc.AuthUrl + Uri.EscapeDataString(RedirectUrl), Provider.AddUser(user));
        var result = await members.AuthWithOAuth2CodeAsync("oidc", code, oidc.CodeVerifier, RedirectUrl, new JsonObject { ["username"] = "from-create-data" });
        var id = result.Record["id"]!.GetValue<string>();
        var links = await members.ListExternalAuthsAsync(id);
        await members.UnlinkExternalAuthAsync(id, "oidc");

        Assert.Equal(oidc.State, state);
        Assert.Equal(user.Email, result.Record["email"]!.GetValue<string>());
        Assert.True(result.Meta!["isNew"]!.GetValue<bool>());
        Assert.Equal(result.Token, client.AuthStore.Token);
        Assert.Equal(user.Sub, Assert.Single(links)["providerId"]!.GetValue<string>());
        Assert.Empty(await members.ListExternalAuthsAsync(id));
    }
}

public sealed class ClientOAuth2SqliteTests(SqliteServerFixture f, OidcTestProvider p)
    : ClientOAuth2Tests(f, p), IClassFixture<SqliteServerFixture>, IClassFixture<OidcTestProvider>;

public sealed class ClientOAuth2PostgresTests(PostgresServerFixture f, OidcTestProvider p)
    : ClientOAuth2Tests(f, p), IClassFixture<PostgresServerFixture>, IClassFixture<OidcTestProvider>;
