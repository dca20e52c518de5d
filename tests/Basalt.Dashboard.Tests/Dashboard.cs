using System.Text.Json.Nodes;
using Basalt.Tests.Fixtures;

namespace Basalt.Dashboard.Tests;

/// <summary>What the page flows share: signing in through the form, unique names, and collections made over the API.</summary>
internal static class Dashboard
{
    public static async Task SignInAsync(IPage page)
    {
        await page.GotoAsync("/_/");
        await page.GetByLabel("Email").FillAsync(BasaltServerFixture.SuperuserEmail);
        await page.GetByLabel("Password").FillAsync(BasaltServerFixture.SuperuserPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.Locator("#sign-out").WaitForAsync();
    }

    /// <summary>
    /// Holds back every file of <c>_framework/</c> until the returned action is called, so the page has only the static
    /// first screen of index.html (wwwroot/js/boot.js); navigate with <see cref="WaitUntilState.Commit"/> meanwhile,
    /// since the load event waits for blazor.webassembly.js.
    /// </summary>
    public static async Task<Action> HoldFrameworkAsync(IPage page)
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync("**/_framework/**", async route =>
        {
            await release.Task;
            await route.ContinueAsync();
        });
        return () => release.TrySetResult();
    }

    /// <summary>A base collection with one field of each common type, created over the API so a test starts from it.</summary>
    public static async Task<string> CreatePostsAsync(BasaltServerFixture server, string prefix = "posts")
    {
        var name = HttpJson.UniqueName(prefix);
        var body = new JsonObject
        {
            ["name"] = name,
            ["type"] = "base",
            ["listRule"] = "",
            ["viewRule"] = "",
            ["fields"] = new JsonArray(
                new JsonObject { ["name"] = "title", ["type"] = "text" },
                new JsonObject { ["name"] = "views", ["type"] = "number" },
                new JsonObject { ["name"] = "published", ["type"] = "bool" },
                new JsonObject { ["name"] = "created", ["type"] = "autodate", ["onCreate"] = true }),
        };
        var (status, answer) = await server.Superuser.PostJsonAsync("/api/collections", body);
        Assert.True(status == System.Net.HttpStatusCode.OK, answer?.ToJsonString());
        return name;
    }

    public static async Task<string> CreateRecordAsync(BasaltServerFixture server, string collection, JsonObject record)
    {
        var (status, created) = await server.Superuser.PostJsonAsync($"/api/collections/{collection}/records", record);
        Assert.True(status == System.Net.HttpStatusCode.OK, created?.ToJsonString());
        return created!["id"]!.GetValue<string>();
    }
}
