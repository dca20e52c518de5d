using System.Text.Json.Nodes;
using Basalt.Client;
using Basalt.Client.Auth;
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

    /// <summary>
    /// The all-in-one flow: the "browser" opens the URL the client hands it and follows the provider's redirect to
    /// /api/oauth2-redirect, whose code reaches the client over realtime.
    /// </summary>
    [Fact]
    public async Task The_popup_flow_gets_the_code_over_realtime_and_signs_in()
    {
        var name = await CreateCollectionAsync([OidcConfig()]);
        var user = NewUser();
        var hint = Provider.AddUser(user);
        await using var client = ClientKit.Guest(Server);
        Uri? opened = null;

        var result = await client.Collection(name).AuthWithOAuth2Async(
            "oidc",
            async (url, cancellationToken) =>
            {
                opened = url;
                using var browser = new HttpClient();
                using var page = await browser.GetAsync(new Uri(url.AbsoluteUri + "&login_hint=" + hint), cancellationToken);
                page.EnsureSuccessStatusCode();
            },
            new OAuth2SignInOptions { CreateData = new JsonObject { ["username"] = "from-popup" } });

        var query = System.Web.HttpUtility.ParseQueryString(opened!.Query);
        Assert.Equal(new Uri(Server.BaseAddress, "api/oauth2-redirect").AbsoluteUri, query["redirect_uri"]);
        Assert.Equal(40, query["state"]!.Length);
        Assert.Equal(user.Email, result.Record["email"]!.GetValue<string>());
        Assert.Equal("from-popup", result.Record["username"]!.GetValue<string>());
        Assert.Equal(result.Token, client.AuthStore.Token);
        Assert.False(client.Realtime.IsConnected);
    }

    [Fact]
    public async Task The_popup_flow_refuses_when_the_user_denies_at_the_provider()
    {
        var name = await CreateCollectionAsync([OidcConfig()]);
        await using var client = ClientKit.Guest(Server);

        var error = await Assert.ThrowsAsync<ClientResponseException>(() => client.Collection(name).AuthWithOAuth2Async(
            "oidc",
            async (url, cancellationToken) =>
            {
                using var browser = new HttpClient();
                using var page = await browser.GetAsync(new Uri(url.AbsoluteUri + "&login_hint=&deny=1"), cancellationToken);
                page.EnsureSuccessStatusCode();
            }));

        Assert.Contains("access_denied", error.Message, StringComparison.Ordinal);
        Assert.Equal("", client.AuthStore.Token);
    }

    [Fact]
    public async Task The_popup_flow_ends_when_cancelled()
    {
        var name = await CreateCollectionAsync([OidcConfig()]);
        await using var client = ClientKit.Guest(Server);
        using var cancel = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.Collection(name).AuthWithOAuth2Async(
            "oidc", (_, _) => cancel.CancelAsync(), cancellationToken: cancel.Token));

        Assert.False(client.Realtime.IsConnected);
    }
}

public sealed class ClientOAuth2SqliteTests(SqliteServerFixture f, OidcTestProvider p)
    : ClientOAuth2Tests(f, p), IClassFixture<SqliteServerFixture>, IClassFixture<OidcTestProvider>;

public sealed class ClientOAuth2PostgresTests(PostgresServerFixture f, OidcTestProvider p)
    : ClientOAuth2Tests(f, p), IClassFixture<PostgresServerFixture>, IClassFixture<OidcTestProvider>;
