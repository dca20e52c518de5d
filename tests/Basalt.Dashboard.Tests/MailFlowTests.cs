using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text.RegularExpressions;
using Basalt.Tests.Fixtures;

namespace Basalt.Dashboard.Tests;

/// <summary>
/// The flows that go through mail, delivered to a loopback SMTP server: for superusers, a password reset through the
/// link of the mail, a one-time code, and MFA (password, then a code); for users of an auth collection, the pages of the
/// verification and email-change links. Each superuser test sets the <c>_superusers</c> options it needs and signs in
/// as a superuser of its own.
/// </summary>
[Collection(BrowserCollection.Name)]
[SuppressMessage("Design", "CA1001", Justification = "xunit disposes the SMTP server through IAsyncLifetime.DisposeAsync.")]
public sealed partial class MailFlowTests(BrowserFixture browser, SqliteServerFixture server) : IClassFixture<SqliteServerFixture>, IAsyncLifetime
{
    private const string Password = "superuser-password-1";
    private readonly SmtpTestServer _smtp = new();

    public async Task InitializeAsync()
    {
        var (status, body) = await server.Superuser.PatchJsonAsync("/api/settings", new
        {
            meta = new { appName = "Basalt", appURL = server.BaseAddress.ToString(), senderName = "Basalt", senderAddress = "noreply@example.com" },
            smtp = new { enabled = true, host = "127.0.0.1", port = _smtp.Port, tls = false },
        });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
    }

    public async Task DisposeAsync() => await _smtp.DisposeAsync();

    [Fact]
    public async Task Forgot_password_mails_a_link_whose_page_sets_a_new_password()
    {
        await SetSuperuserOptionsAsync(otp: false, mfa: false);
        var email = await CreateSuperuserAsync();
        var page = await browser.NewPageAsync(server);
        await page.GotoAsync("/_/login");

        await page.Locator("#forgot-password").ClickAsync();
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send the reset link" }).ClickAsync();
        await Assertions.Expect(page.Locator("#reset-sent")).ToBeVisibleAsync();
        var link = ResetLink().Match((await _smtp.WaitForAsync(email)).Parse().HtmlBody ?? "");
        Assert.True(link.Success);
        Assert.StartsWith(server.BaseAddress + "_/#/auth/confirm-password-reset/", link.Groups[1].Value, StringComparison.Ordinal);

        await page.GotoAsync(link.Groups[1].Value);
        await Assertions.Expect(page.GetByText("For " + email)).ToBeVisibleAsync();
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync("a-new-password-2");
        await page.GetByLabel("Confirm the new password").FillAsync("a-new-password-2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Set the new password" }).ClickAsync();
        await Assertions.Expect(page.Locator("#reset-done")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync("a-new-password-2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();

        await Assertions.Expect(page.Locator(".who")).ToHaveTextAsync(email);
    }

    [Fact]
    public async Task A_one_time_code_by_mail_signs_a_superuser_in()
    {
        await SetSuperuserOptionsAsync(otp: true, mfa: false);
        var email = await CreateSuperuserAsync();
        var page = await browser.NewPageAsync(server);
        await page.GotoAsync("/_/login");

        await page.Locator("#use-otp").ClickAsync();
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send a code" }).ClickAsync();
        await page.GetByLabel("One-time code").FillAsync(await CodeAsync(email));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify and sign in" }).ClickAsync();

        await Assertions.Expect(page.Locator(".who")).ToHaveTextAsync(email);
    }

    [Fact]
    public async Task With_MFA_a_password_sign_in_asks_for_the_mailed_code_and_finishes_with_it()
    {
        await SetSuperuserOptionsAsync(otp: true, mfa: true);
        try
        {
            var email = await CreateSuperuserAsync();
            var page = await browser.NewPageAsync(server);
            await page.GotoAsync("/_/login");

            await page.GetByLabel("Email").FillAsync(email);
            await page.GetByLabel("Password").FillAsync(Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Second factor" })).ToBeVisibleAsync();
            await page.GetByLabel("One-time code").FillAsync("00000000");
            await page.GetByRole(AriaRole.Button, new() { Name = "Verify and sign in" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Invalid or expired code");
            await page.GetByLabel("One-time code").FillAsync(await CodeAsync(email));
            await page.GetByRole(AriaRole.Button, new() { Name = "Verify and sign in" }).ClickAsync();

            await Assertions.Expect(page.Locator(".who")).ToHaveTextAsync(email);
        }
        finally
        {
            await SetSuperuserOptionsAsync(otp: false, mfa: false);
        }
    }

    /// <summary>The static form of index.html sends the password before the app has started; the app asks for the code.</summary>
    [Fact]
    public async Task With_MFA_the_static_forms_password_hands_over_to_the_apps_second_factor()
    {
        await SetSuperuserOptionsAsync(otp: true, mfa: true);
        try
        {
            var email = await CreateSuperuserAsync();
            var page = await browser.NewPageAsync(server);
            var release = await Dashboard.HoldFrameworkAsync(page);
            await page.GotoAsync("/_/login", new() { WaitUntil = WaitUntilState.Commit });

            await page.GetByLabel("Email").FillAsync(email);
            await page.GetByLabel("Password").FillAsync(Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
            await Assertions.Expect(page.Locator("#boot").GetByRole(AriaRole.Status)).ToContainTextAsync("second factor");
            release();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Second factor" })).ToBeVisibleAsync();
            await page.GetByLabel("One-time code").FillAsync(await CodeAsync(email));
            await page.GetByRole(AriaRole.Button, new() { Name = "Verify and sign in" }).ClickAsync();

            await Assertions.Expect(page.Locator(".who")).ToHaveTextAsync(email);
        }
        finally
        {
            await SetSuperuserOptionsAsync(otp: false, mfa: false);
        }
    }

    [Fact]
    public async Task The_verification_link_of_a_users_mail_verifies_the_user()
    {
        var name = await AuthCollections.CreateAsync(server, null);
        var email = "verify-" + Guid.NewGuid().ToString("N")[..8] + "@example.com";
        var user = await AuthCollections.SignUpAsync(server, name, email, Password, asSuperuser: true);
        var (status, body) = await server.Guest.PostJsonAsync($"/api/collections/{name}/request-verification", new { email });
        Assert.True(status == HttpStatusCode.NoContent, body?.ToJsonString());
        var link = MailLink("confirm-verification", await _smtp.WaitForAsync(email));

        var page = await browser.NewPageAsync(server);
        await page.GotoAsync(link);

        await Assertions.Expect(page.Locator("#verification-done")).ToContainTextAsync(email);
        var (_, record) = await server.Superuser.GetJsonAsync($"/api/collections/{name}/records/{user.Id}");
        Assert.True(record!["verified"]!.GetValue<bool>());

        // The link's page survives a reload: App.razor moved the token (a JWT, dots and all) out of the path.
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Verify your email" })).ToBeVisibleAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/_/auth/confirm-verification\?token="));
    }

    [Fact]
    public async Task The_email_change_link_asks_for_the_password_and_changes_the_email()
    {
        var name = await AuthCollections.CreateAsync(server, null);
        var email = "old-" + Guid.NewGuid().ToString("N")[..8] + "@example.com";
        var newEmail = "new-" + Guid.NewGuid().ToString("N")[..8] + "@example.com";
        var user = await AuthCollections.SignUpAsync(server, name, email, Password, asSuperuser: true);
        using var asUser = server.NewClient(user.Token);
        var (status, body) = await asUser.PostJsonAsync($"/api/collections/{name}/request-email-change", new { newEmail });
        Assert.True(status == HttpStatusCode.NoContent, body?.ToJsonString());
        var link = MailLink("confirm-email-change", await _smtp.WaitForAsync(newEmail));

        var page = await browser.NewPageAsync(server);
        await page.GotoAsync(link);
        await page.GetByLabel("Your password").FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm the new email" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        await page.GetByLabel("Your password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm the new email" }).ClickAsync();

        await Assertions.Expect(page.Locator("#email-change-done")).ToContainTextAsync(newEmail);
        var (_, record) = await server.Superuser.GetJsonAsync($"/api/collections/{name}/records/{user.Id}");
        Assert.Equal(newEmail, record!["email"]!.GetValue<string>());
    }

    /// <summary>The full address of the <c>/_/#/auth/{action}/{TOKEN}</c> link of <paramref name="mail"/>, pointing at this server.</summary>
    private string MailLink(string action, SmtpTestMessage mail)
    {
        var link = $"{server.BaseAddress}_/#/auth/{action}/{mail.LinkToken(action)}";
        Assert.Contains(link, mail.Parse().HtmlBody ?? "", StringComparison.Ordinal);
        return link;
    }

    private async Task SetSuperuserOptionsAsync(bool otp, bool mfa)
    {
        var (status, body) = await server.Superuser.PatchJsonAsync("/api/collections/_superusers", new
        {
            otp = new { enabled = otp, duration = 180, length = 8 },
            mfa = new { enabled = mfa, duration = 600, rule = "" },
        });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
    }

    private async Task<string> CreateSuperuserAsync()
    {
        var email = "su-" + Guid.NewGuid().ToString("N")[..8] + "@example.com";
        var (status, body) = await server.Superuser.PostJsonAsync(
            "/api/collections/_superusers/records", new { email, password = Password, passwordConfirm = Password });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        return email;
    }

    /// <summary>The code of the last one-time-code mail to <paramref name="email"/> (the default template puts it in <c>strong</c>).</summary>
    private async Task<string> CodeAsync(string email)
    {
        await _smtp.WaitForAsync(email);
        var mail = _smtp.Messages.Last(m => m.Recipients.Contains(email, StringComparer.OrdinalIgnoreCase));
        var code = OtpCode().Match(mail.Parse().HtmlBody ?? "");
        Assert.True(code.Success, mail.Data);
        return code.Groups[1].Value;
    }

    [GeneratedRegex("href=\"([^\"]+/_/#/auth/confirm-password-reset/[^\"]+)\"")]
    private static partial Regex ResetLink();

    [GeneratedRegex(@"<strong>(\d+)</strong>")]
    private static partial Regex OtpCode();
}
