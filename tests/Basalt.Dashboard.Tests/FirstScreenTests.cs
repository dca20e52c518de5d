using System.Text.Json.Nodes;
using Basalt.Tests.Fixtures;

namespace Basalt.Dashboard.Tests;

/// <summary>
/// The static sign-in form of index.html (wwwroot/js/boot.js) works while Blazor's framework files are held back, and
/// the app takes over from it: the session it stored, its error, what was typed and where the focus was.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FirstScreenTests(BrowserFixture browser, SqliteServerFixture server) : IClassFixture<SqliteServerFixture>
{
    private static readonly PageGotoOptions Commit = new() { WaitUntil = WaitUntilState.Commit };

    [Fact]
    public async Task The_static_form_signs_in_before_the_app_starts_and_the_app_opens_the_page_asked_for()
    {
        var name = await Dashboard.CreatePostsAsync(server, "static");
        var page = await browser.NewPageAsync(server);
        var release = await Dashboard.HoldFrameworkAsync(page);
        await page.GotoAsync("/_/collections/" + name, Commit);

        await page.GetByLabel("Email").FillAsync(BasaltServerFixture.SuperuserEmail);
        await page.GetByLabel("Password").FillAsync(BasaltServerFixture.SuperuserPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Loading the dashboard");
        var stored = JsonNode.Parse(await page.EvaluateAsync<string>("localStorage.getItem('basalt_superuser_auth')"))!.AsObject();
        var appRendered = await page.Locator("#sign-out").CountAsync();
        release();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(name);
        await Assertions.Expect(page.Locator(".who")).ToHaveTextAsync(BasaltServerFixture.SuperuserEmail);
        await Assertions.Expect(page.Locator("#boot")).ToHaveCountAsync(0);
        Assert.Equal(0, appRendered);
        Assert.Equal(["token", "record"], stored.Select(p => p.Key));
        Assert.Equal("_superusers", stored["record"]?["collectionName"]?.GetValue<string>());
    }

    [Fact]
    public async Task A_wrong_password_shows_the_error_in_the_static_form_and_the_app_keeps_it()
    {
        var page = await browser.NewPageAsync(server);
        var release = await Dashboard.HoldFrameworkAsync(page);
        await page.GotoAsync("/_/", Commit);

        await page.GetByLabel("Email").FillAsync(BasaltServerFixture.SuperuserEmail);
        await page.GetByLabel("Password").FillAsync("wrong-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator("#boot").GetByRole(AriaRole.Alert)).ToHaveTextAsync("Invalid email or password.");
        release();

        await Assertions.Expect(page.Locator("#boot")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Invalid email or password.");
        await Assertions.Expect(page.GetByLabel("Email")).ToHaveValueAsync(BasaltServerFixture.SuperuserEmail);
    }

    /// <summary>The app's form holds what was typed (its submit sends it), the focus stays in the field, the caret at its end.</summary>
    [Fact]
    public async Task What_was_typed_before_the_app_started_stays_in_the_form_with_the_focus()
    {
        var page = await browser.NewPageAsync(server);
        var release = await Dashboard.HoldFrameworkAsync(page);
        await page.GotoAsync("/_/", Commit);
        var password = BasaltServerFixture.SuperuserPassword;

        await page.GetByLabel("Email").FillAsync(BasaltServerFixture.SuperuserEmail);
        await page.GetByLabel("Password").FillAsync(password[..4]);
        release();
        await Assertions.Expect(page.Locator("#boot")).ToHaveCountAsync(0);
        var focused = await page.EvaluateAsync<string>("document.activeElement.id");
        await page.Keyboard.TypeAsync(password[4..]);
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.Locator(".who")).ToHaveTextAsync(BasaltServerFixture.SuperuserEmail);
        Assert.Equal("password", focused);
    }

    [Fact]
    public async Task Forgot_password_clicked_before_the_app_started_opens_the_reset_form_when_it_has()
    {
        var page = await browser.NewPageAsync(server);
        var release = await Dashboard.HoldFrameworkAsync(page);
        await page.GotoAsync("/_/login", Commit);

        await page.GetByLabel("Email").FillAsync("someone@example.com");
        await page.Locator("#forgot-password").ClickAsync();
        release();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Reset your password" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Email")).ToHaveValueAsync("someone@example.com");
        await Assertions.Expect(page.GetByLabel("Email")).ToBeFocusedAsync();
    }

    [Fact]
    public async Task A_stored_session_shows_no_static_form()
    {
        var page = await browser.NewPageAsync(server);
        await Dashboard.SignInAsync(page);
        var release = await Dashboard.HoldFrameworkAsync(page);

        await page.ReloadAsync(new() { WaitUntil = WaitUntilState.Commit });
        await Assertions.Expect(page.GetByText("Loading…")).ToBeVisibleAsync();
        var forms = await page.Locator("#boot form").CountAsync();
        release();

        await page.Locator("#sign-out").WaitForAsync();
        Assert.Equal(0, forms);
    }
}
