using System.Net;
using System.Text.Json.Nodes;
using Basalt.Tests.Fixtures;

namespace Basalt.Dashboard.Tests;

/// <summary>
/// Signing in to the dashboard with an OAuth2 provider of <c>_superusers</c>: the loopback OpenID Connect provider's
/// sign-in page in the popup, its redirect to /api/oauth2-redirect, and the code over realtime to the page's client;
/// with MFA, the password as the second factor.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class OAuth2SignInTests(BrowserFixture browser, SqliteServerFixture server, OidcTestProvider provider)
    : IClassFixture<SqliteServerFixture>, IClassFixture<OidcTestProvider>, IAsyncLifetime
{
    private const string Password = "superuser-password-1";

    public Task InitializeAsync() => SetSuperuserOptionsAsync(mfa: false);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_provider_button_signs_a_superuser_in_through_the_popup()
    {
        var (email, hint) = await NewSuperuserAsync();
        var page = await browser.NewPageAsync(server);
        await page.GotoAsync("/_/login");

        var popup = await page.RunAndWaitForPopupAsync(() => page.Locator("#oauth2-oidc").ClickAsync());
        await popup.GetByLabel("Account").FillAsync(hint);
        await popup.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();

        await Assertions.Expect(page.Locator(".who")).ToHaveTextAsync(email);
    }

    [Fact]
    public async Task Denying_at_the_provider_leaves_the_form_with_the_reason()
    {
        var page = await browser.NewPageAsync(server);
        await page.GotoAsync("/_/login");

        var popup = await page.RunAndWaitForPopupAsync(() => page.Locator("#oauth2-oidc").ClickAsync());
        await popup.GetByRole(AriaRole.Button, new() { Name = "Deny" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("access_denied");
        await Assertions.Expect(page.Locator("#oauth2-oidc")).ToBeEnabledAsync();
        await Assertions.Expect(page.Locator("#sign-out")).ToHaveCountAsync(0);
    }

    /// <summary>A popup the user closes ends the wait with a message (no Cancel needed), and the next try signs in.</summary>
    [Fact]
    public async Task Closing_the_popup_ends_the_wait_and_a_new_try_signs_in()
    {
        var (email, hint) = await NewSuperuserAsync();
        var page = await browser.NewPageAsync(server);
        await page.GotoAsync("/_/login");

        var popup = await page.RunAndWaitForPopupAsync(() => page.Locator("#oauth2-oidc").ClickAsync());
        await popup.GetByLabel("Account").WaitForAsync();
        await popup.CloseAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("window was closed");
        await Assertions.Expect(page.Locator("#oauth2-waiting")).ToHaveCountAsync(0);
        var again = await page.RunAndWaitForPopupAsync(() => page.Locator("#oauth2-oidc").ClickAsync());
        await again.GetByLabel("Account").FillAsync(hint);
        await again.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();
        await Assertions.Expect(page.Locator(".who")).ToHaveTextAsync(email);
    }

    [Fact]
    public async Task With_MFA_the_provider_is_the_first_factor_and_the_password_the_second()
    {
        await SetSuperuserOptionsAsync(mfa: true);
        try
        {
            var (email, hint) = await NewSuperuserAsync();
            var page = await browser.NewPageAsync(server);
            await page.GotoAsync("/_/login");

            var popup = await page.RunAndWaitForPopupAsync(() => page.Locator("#oauth2-oidc").ClickAsync());
            await popup.GetByLabel("Account").FillAsync(hint);
            await popup.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Second factor" })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#oauth2-providers")).ToHaveCountAsync(0);
            await page.GetByLabel("Email").FillAsync(email);
            await page.GetByLabel("Password").FillAsync(Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();

            await Assertions.Expect(page.Locator(".who")).ToHaveTextAsync(email);
        }
        finally
        {
            await SetSuperuserOptionsAsync(mfa: false);
        }
    }

    /// <summary>_superusers with the loopback provider as its only OAuth2 provider (OTP off), and MFA as asked.</summary>
    private async Task SetSuperuserOptionsAsync(bool mfa)
    {
        var (status, body) = await server.Superuser.PatchJsonAsync("/api/collections/_superusers", new JsonObject
        {
            ["otp"] = new JsonObject { ["enabled"] = false },
            ["mfa"] = new JsonObject { ["enabled"] = mfa, ["duration"] = 600, ["rule"] = "" },
            ["oauth2"] = new JsonObject
            {
                ["enabled"] = true,
                ["providers"] = new JsonArray(new JsonObject
                {
                    ["name"] = "oidc",
                    ["clientId"] = OidcTestProvider.ClientId,
                    ["clientSecret"] = OidcTestProvider.ClientSecret,
                    ["authURL"] = provider.Url("/authorize"),
                    ["tokenURL"] = provider.Url("/token"),
                    ["userInfoURL"] = provider.Url("/userinfo"),
                    ["extra"] = new JsonObject { ["jwksURL"] = provider.Url("/jwks"), ["issuers"] = new JsonArray(provider.Issuer) },
                }),
            },
        }.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
    }

    /// <summary>
    /// A verified superuser with a password, and the provider's account of the same (verified) email; returns the email
    /// and the account's key. Verified, because an OAuth2 sign-in that claims an unverified account by its email gives it a
    /// new random password (as PocketBase does, against account takeover), and the MFA test signs in with the old one.
    /// </summary>
    private async Task<(string Email, string Hint)> NewSuperuserAsync()
    {
        var email = "su-" + Guid.NewGuid().ToString("N")[..8] + "@example.com";
        var (status, body) = await server.Superuser.PostJsonAsync(
            "/api/collections/_superusers/records", new { email, password = Password, passwordConfirm = Password, verified = true });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        return (email, provider.AddUser(new OidcTestProvider.TestUser(Guid.NewGuid().ToString("N"), email)));
    }
}
