using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Basalt.Tests.Fixtures;

namespace Basalt.Dashboard.Tests;

/// <summary>
/// An auth collection in the dashboard: its options (password, OTP, MFA, OAuth2, token durations, email templates)
/// edited and saved under the server's own names with everything else unchanged, and impersonating one of its users.
/// Run on SQLite and PostgreSQL.
/// </summary>
public abstract class AuthCollectionFlowTests(BrowserFixture browser, BasaltServerFixture server)
{
    [Fact]
    public async Task Auth_options_saved_in_the_editor_change_only_what_was_edited_after_confirming_the_rule()
    {
        var name = await AuthCollections.CreateAsync(server, null);
        var (_, before) = await server.Superuser.GetJsonAsync($"/api/collections/{name}");
        var page = await browser.NewPageAsync(server);
        await Dashboard.SignInAsync(page);
        await page.GotoAsync($"/_/collections/{name}/edit");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Auth options" }).ClickAsync();

        await page.Locator("#auth-otp-enabled").CheckAsync();
        await page.Locator("#auth-otp-length").FillAsync("6");
        await page.Locator("#auth-mfa-enabled").CheckAsync();
        await page.Locator("#auth-mfa-duration").FillAsync("900");
        await page.Locator("#auth-oauth2-enabled").CheckAsync();
        await page.Locator("#auth-mapped-username").FillAsync("username");
        await page.Locator("#new-provider").SelectOptionAsync("google");
        await page.Locator("#add-provider").ClickAsync();
        await page.Locator("#provider-0-clientId").FillAsync("client-id-1");
        await page.Locator("#provider-0-clientSecret").FillAsync("client-secret-1");
        await page.Locator("#provider-0-pkce").SelectOptionAsync("false");
        await page.Locator("#token-authToken").FillAsync("3600");
        await page.Locator("#template-reset-password summary").ClickAsync();
        await page.Locator("#template-reset-password-subject").FillAsync("Reset for {APP_NAME}");
        await page.Locator("#rule-authRule").FillAsync("verified = true");
        await page.Locator("#save-collection").ClickAsync();
        await Assertions.Expect(page.Locator("#change-list")).ToContainTextAsync("Auth rule: everyone → verified = true");
        await page.Locator("#confirm-save").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/_/collections/{name}$"));

        var (_, after) = await server.Superuser.GetJsonAsync($"/api/collections/{name}");
        var provider = after!["oauth2"]!["providers"]!.AsArray().Single()!.AsObject();
        Assert.Equal("google", provider["name"]!.GetValue<string>());
        Assert.Equal("client-id-1", provider["clientId"]!.GetValue<string>());
        Assert.False(provider["pkce"]!.GetValue<bool>());
        Assert.False(provider.ContainsKey("clientSecret"));
        var expected = before!.AsObject().DeepClone().AsObject();
        expected["otp"]!["enabled"] = true;
        expected["otp"]!["length"] = 6;
        expected["mfa"]!["enabled"] = true;
        expected["mfa"]!["duration"] = 900;
        expected["oauth2"]!["enabled"] = true;
        expected["oauth2"]!["mappedFields"]!["username"] = "username";
        expected["authToken"]!["duration"] = 3600;
        expected["resetPasswordTemplate"]!["subject"] = "Reset for {APP_NAME}";
        expected["authRule"] = "verified = true";
        foreach (var json in new[] { expected, after.AsObject() })
        {
            json.Remove("updated");
            json["oauth2"]!.AsObject().Remove("providers");
        }

        Assert.True(JsonNode.DeepEquals(expected, after), $"expected {expected.ToJsonString()}\nsaved {after.ToJsonString()}");

        // A second save sends the provider back without its secret (clients never see it): the server keeps the stored one.
        await page.GotoAsync($"/_/collections/{name}/edit");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Auth options" }).ClickAsync();
        await Assertions.Expect(page.Locator("#provider-0-clientSecret")).ToHaveAttributeAsync("placeholder", "unchanged");
        await page.Locator("#auth-otp-length").FillAsync("7");
        await page.Locator("#save-collection").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/_/collections/{name}$"));
        var (_, again) = await server.Superuser.GetJsonAsync($"/api/collections/{name}");
        Assert.Equal(7, again!["otp"]!["length"]!.GetValue<int>());
        Assert.Equal("client-id-1", again["oauth2"]!["providers"]![0]!["clientId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Impersonate_shows_a_non_refreshable_token_that_acts_as_the_user_and_copies_it()
    {
        var name = await AuthCollections.CreateAsync(server, new JsonObject { ["listRule"] = "", ["viewRule"] = "id = @request.auth.id" });
        var email = "imp-" + Guid.NewGuid().ToString("N")[..8] + "@example.com";
        var user = await AuthCollections.SignUpAsync(server, name, email, "member-password-1", asSuperuser: true);
        var page = await browser.NewPageAsync(server);
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await Dashboard.SignInAsync(page);
        await page.GotoAsync($"/_/collections/{name}");

        await page.Locator("table.records tbody tr", new() { HasText = email }).Locator("button.link").ClickAsync();
        await page.Locator("#impersonate summary").ClickAsync();
        await page.Locator("#impersonate-duration").FillAsync("120");
        var issuedFrom = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await page.Locator("#impersonate-issue").ClickAsync();
        var box = page.Locator("#impersonate-token");
        await Assertions.Expect(box).ToHaveValueAsync(new System.Text.RegularExpressions.Regex(@"^[\w-]+\.[\w-]+\.[\w-]+$"));
        var issuedTo = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var token = await box.InputValueAsync();
        await page.Locator("#impersonate-copy").ClickAsync();
        await Assertions.Expect(page.GetByText("Token copied.")).ToBeVisibleAsync();
        var copied = await page.EvaluateAsync<string>("navigator.clipboard.readText()");

        Assert.Equal(token, copied);
        var claims = Payload(token);
        Assert.Equal(user.Id, claims["id"]!.GetValue<string>());
        Assert.False(claims["refreshable"]!.GetValue<bool>());
        Assert.InRange(claims["exp"]!.GetValue<long>(), issuedFrom + 120, issuedTo + 121);
        using var asUser = server.NewClient(token);
        var (status, own) = await asUser.GetJsonAsync($"/api/collections/{name}/records/{user.Id}");
        Assert.True(status == HttpStatusCode.OK, own?.ToJsonString());
        Assert.Contains(BasaltServerFixture.SuperuserEmail, await page.EvaluateAsync<string?>("localStorage.getItem('basalt_superuser_auth')"));
    }

    private static JsonObject Payload(string token)
    {
        var part = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        return JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(part.PadRight(part.Length + ((4 - (part.Length % 4)) % 4), '='))))!.AsObject();
    }
}

[Collection(BrowserCollection.Name)]
public sealed class AuthCollectionFlowSqliteTests(BrowserFixture browser, SqliteServerFixture server)
    : AuthCollectionFlowTests(browser, server), IClassFixture<SqliteServerFixture>;

[Collection(BrowserCollection.Name)]
public sealed class AuthCollectionFlowPostgresTests(BrowserFixture browser, PostgresServerFixture server)
    : AuthCollectionFlowTests(browser, server), IClassFixture<PostgresServerFixture>;
