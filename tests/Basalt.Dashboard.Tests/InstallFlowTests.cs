using Basalt.Auth;
using Basalt.Tests.Dashboard;
using Microsoft.Extensions.DependencyInjection;

namespace Basalt.Dashboard.Tests;

/// <summary>The first run: the one-time link <c>basalt serve</c> prints opens a form that creates the first superuser and signs in.</summary>
[Collection(BrowserCollection.Name)]
public sealed class InstallFlowTests(BrowserFixture browser, NoSuperuserSqliteFixture server) : IClassFixture<NoSuperuserSqliteFixture>
{
    [Fact]
    public async Task The_install_link_creates_the_first_superuser_and_signs_in()
    {
        var token = server.Services.GetRequiredService<SuperuserInstall>().Issue();
        var page = await browser.NewPageAsync(server);

        // The link as the CLI prints it: PocketBase's hash route, which the dashboard translates.
        await page.GotoAsync("/_/#/install?token=" + Uri.EscapeDataString(token));
        await page.GetByLabel("Email").FillAsync("first@example.com");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("first-password-1");
        await page.GetByLabel("Confirm the password").FillAsync("first-password-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create and sign in" }).ClickAsync();

        await Assertions.Expect(page.Locator(".who")).ToHaveTextAsync("first@example.com");
        var again = await browser.NewPageAsync(server);
        await again.GotoAsync("/_/install?token=" + Uri.EscapeDataString(token));
        await Assertions.Expect(again.GetByRole(AriaRole.Alert)).ToContainTextAsync("expired or was already used");
    }
}
