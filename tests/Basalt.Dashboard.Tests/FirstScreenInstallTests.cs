using Basalt.Auth;
using Basalt.Tests.Dashboard;
using Microsoft.Extensions.DependencyInjection;

namespace Basalt.Dashboard.Tests;

/// <summary>The first-run link works on index.html's static form too (wwwroot/js/boot.js), before Blazor has started.</summary>
[Collection(BrowserCollection.Name)]
public sealed class FirstScreenInstallTests(BrowserFixture browser, NoSuperuserSqliteFixture server) : IClassFixture<NoSuperuserSqliteFixture>
{
    [Fact]
    public async Task The_install_link_creates_the_first_superuser_before_the_app_starts_and_the_app_opens_signed_in()
    {
        var token = server.Services.GetRequiredService<SuperuserInstall>().Issue();
        var page = await browser.NewPageAsync(server);
        var release = await Dashboard.HoldFrameworkAsync(page);

        // The link as the CLI prints it: PocketBase's hash route.
        await page.GotoAsync("/_/#/install?token=" + Uri.EscapeDataString(token), new() { WaitUntil = WaitUntilState.Commit });
        await page.GetByLabel("Email").FillAsync("static-first@example.com");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("first-password-1");
        await page.GetByLabel("Confirm the password").FillAsync("other-password-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create and sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("The passwords do not match.");
        await page.GetByLabel("Confirm the password").FillAsync("first-password-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create and sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Loading the dashboard");
        var url = page.Url;
        release();

        await Assertions.Expect(page.Locator(".who")).ToHaveTextAsync("static-first@example.com");
        Assert.Equal(server.BaseAddress + "_/", url);
    }
}
