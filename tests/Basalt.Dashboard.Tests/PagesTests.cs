using System.Text.Json.Nodes;
using Basalt.Tests.Fixtures;

namespace Basalt.Dashboard.Tests;

/// <summary>The other pages: overview, logs, settings, import/export, API docs, and the screenshots of docs/screenshots/.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PagesTests(BrowserFixture browser, SqliteServerFixture server) : IClassFixture<SqliteServerFixture>
{
    [Fact]
    public async Task The_overview_shows_every_rule_and_the_relations()
    {
        var posts = await Dashboard.CreatePostsAsync(server);
        var (_, collection) = await server.Superuser.GetJsonAsync($"/api/collections/{posts}");
        var comments = HttpJson.UniqueName("comments");
        await server.Superuser.PostJsonAsync("/api/collections", new JsonObject
        {
            ["name"] = comments,
            ["type"] = "base",
            ["createRule"] = "@request.auth.id != ''",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "post", ["type"] = "relation", ["collectionId"] = collection!["id"]!.GetValue<string>(), ["maxSelect"] = 1 }),
        });
        var page = await browser.NewPageAsync(server);
        await Dashboard.SignInAsync(page);

        await page.GotoAsync("/_/overview");

        var row = page.Locator("#rules-table tr", new() { HasText = comments });
        await Assertions.Expect(row).ToContainTextAsync("@request.auth.id != ''");
        await Assertions.Expect(row).ToContainTextAsync("superusers only");
        await Assertions.Expect(page.Locator("#relations-list")).ToContainTextAsync($"{comments}.post → {posts}");
        await Assertions.Expect(page.Locator("#relations-diagram line")).Not.ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Logs_list_requests_with_a_chart_and_a_detail_view()
    {
        var page = await browser.NewPageAsync(server);
        await Dashboard.SignInAsync(page);
        await server.Guest.GetAsync("/api/health?from=logs-test");
        await page.GotoAsync("/_/logs");

        await page.Locator("#log-filter").FillAsync("data.url ~ 'from=logs-test'");
        await page.Locator("#log-filter").PressAsync("Enter");
        await Assertions.Expect(page.Locator("#logs-table tbody tr")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await page.Locator("#logs-table tbody tr button.link").ClickAsync();

        await Assertions.Expect(page.Locator("#log-detail")).ToContainTextAsync("from=logs-test");
        await Assertions.Expect(page.Locator("#requests-chart rect")).Not.ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Application_settings_are_saved()
    {
        var appName = HttpJson.UniqueName("app");
        var page = await browser.NewPageAsync(server);
        await Dashboard.SignInAsync(page);
        await page.GotoAsync("/_/settings");

        await page.Locator("#meta-appName").FillAsync(appName);
        await page.Locator("#meta-appName").PressAsync("Tab");
        await page.Locator("#save-settings").ClickAsync();
        await Assertions.Expect(page.GetByText("Settings saved.")).ToBeVisibleAsync();

        var (_, settings) = await server.Superuser.GetJsonAsync("/api/settings");
        Assert.Equal(appName, settings!["meta"]!["appName"]!.GetValue<string>());
        await Assertions.Expect(page.Locator("#detected-ip")).ToHaveTextAsync("127.0.0.1");
    }

    [Fact]
    public async Task The_api_docs_show_the_rule_in_words_and_both_clients_snippets()
    {
        var name = await Dashboard.CreatePostsAsync(server);
        var page = await browser.NewPageAsync(server);
        await Dashboard.SignInAsync(page);

        await page.GotoAsync($"/_/docs/{name}");

        var list = page.Locator(".api-op", new() { HasText = $"GET /api/collections/{name}/records" }).First;
        await Assertions.Expect(list).ToContainTextAsync($"pb.collection('{name}').getList");
        await Assertions.Expect(list).ToContainTextAsync($"client.Collection(\"{name}\").GetListAsync");
    }

    [Fact]
    public async Task Collections_export_and_an_import_preview_the_changes()
    {
        var name = await Dashboard.CreatePostsAsync(server);
        var page = await browser.NewPageAsync(server);
        await Dashboard.SignInAsync(page);
        await page.GotoAsync("/_/settings/import");

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#export-collections").ClickAsync());
        var exported = JsonNode.Parse(await File.ReadAllTextAsync(await download.PathAsync()))!.AsArray();
        var imported = HttpJson.UniqueName("imported");
        await page.Locator("#import-json").FillAsync(new JsonArray(new JsonObject
        {
            ["name"] = imported,
            ["type"] = "base",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "label", ["type"] = "text" }),
        }).ToJsonString());

        await Assertions.Expect(page.Locator("#import-diff")).ToContainTextAsync($"+ add {imported}");
        await page.Locator("#import-collections").ClickAsync();
        await Assertions.Expect(page.Locator(".sidebar").GetByRole(AriaRole.Link, new() { Name = imported })).ToBeVisibleAsync();
        Assert.Contains(exported, c => c!["name"]!.GetValue<string>() == name);
    }

    [Fact]
    public async Task The_sql_console_shows_a_result_table_and_exports_csv()
    {
        var page = await browser.NewPageAsync(server);
        await Dashboard.SignInAsync(page);
        await page.GotoAsync("/_/sql");

        await page.Locator("#sql-query").FillAsync("SELECT 1 AS one, 'a,b' AS two");
        await page.Locator("#sql-run").ClickAsync();
        await Assertions.Expect(page.Locator("#sql-result tbody tr")).ToHaveCountAsync(1);
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#sql-csv").ClickAsync());
        var csv = await File.ReadAllTextAsync(await download.PathAsync());

        await Assertions.Expect(page.Locator("#sql-result thead")).ToContainTextAsync("one");
        Assert.Equal("one,two\n1,\"a,b\"\n", csv.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Records_export_as_json_and_an_import_lists_the_rejected_rows()
    {
        var name = await Dashboard.CreatePostsAsync(server);
        await Dashboard.CreateRecordAsync(server, name, new JsonObject { ["title"] = "exported" });
        var page = await browser.NewPageAsync(server);
        await Dashboard.SignInAsync(page);
        await page.GotoAsync($"/_/collections/{name}/transfer");

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#export-json").ClickAsync());
        var exported = JsonNode.Parse(await File.ReadAllTextAsync(await download.PathAsync()))!.AsArray();
        await page.Locator("#import-file").SetInputFilesAsync(new FilePayload
        {
            Name = "rows.csv",
            MimeType = "text/csv",
            Buffer = System.Text.Encoding.UTF8.GetBytes("id,title\nabcdefghijklmno,fine\nNOT A VALID ID,bad\n"),
        });
        await Assertions.Expect(page.Locator("#import-errors tbody tr")).ToHaveCountAsync(1);
        await page.Locator("#import-file").SetInputFilesAsync(new FilePayload
        {
            Name = "rows.json",
            MimeType = "application/json",
            Buffer = System.Text.Encoding.UTF8.GetBytes("[{\"title\":\"imported one\"},{\"title\":\"imported two\"}]"),
        });

        await Assertions.Expect(page.Locator("#import-result")).ToContainTextAsync("Imported 2 record(s)");
        Assert.Contains(exported, r => r!["title"]!.GetValue<string>() == "exported");
    }

    [Fact]
    public async Task Screenshots_of_the_main_pages()
    {
        var name = await Dashboard.CreatePostsAsync(server, "articles");
        foreach (var (title, views) in new[] { ("Hello, Basalt", 12), ("Realtime lists", 7), ("Rules in plain words", 3) })
        {
            await Dashboard.CreateRecordAsync(server, name, new JsonObject { ["title"] = title, ["views"] = views, ["published"] = views > 5 });
        }

        // A test run leaves the committed pictures alone (CI's checkout stays clean); BASALT_SCREENSHOTS=docs/screenshots renews them.
        var folder = Environment.GetEnvironmentVariable("BASALT_SCREENSHOTS") is { Length: > 0 } asked
            ? Path.Combine(RepositoryRoot(), asked)
            : Path.Combine(Path.GetTempPath(), "basalt-screenshots-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var page = await browser.NewPageAsync(server, width: 1100, height: 640);
        await page.GotoAsync("/_/login");
        await page.GetByLabel("Email").WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "sign-in.png") });
        await Dashboard.SignInAsync(page);

        await page.GotoAsync($"/_/collections/{name}");
        await Assertions.Expect(page.Locator("#record-count")).ToContainTextAsync("of 3 records");
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "records.png") });
        await page.Locator("table.records tbody tr button.link").First.ClickAsync();
        await page.Locator("#field-title").WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "record-editor.png") });
        await page.GotoAsync($"/_/collections/{name}/edit");
        await page.Locator("#collection-name").WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "collection-editor.png") });
        await page.GotoAsync("/_/overview");
        await page.Locator("#relations-diagram").WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "overview.png") });

        var dark = await browser.NewPageAsync(server, width: 1100, height: 640, colorScheme: "dark");
        await Dashboard.SignInAsync(dark);
        await dark.GotoAsync($"/_/collections/{name}");
        await Assertions.Expect(dark.Locator("#record-count")).ToContainTextAsync("of 3 records");
        await dark.ScreenshotAsync(new() { Path = Path.Combine(folder, "records-dark.png") });

        Assert.True(new FileInfo(Path.Combine(folder, "records.png")).Length > 1000);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Basalt.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Basalt.slnx not found above " + AppContext.BaseDirectory);
    }
}
