using System.Text.Json.Nodes;
using Basalt.Tests.Fixtures;

namespace Basalt.Dashboard.Tests;

/// <summary>
/// The records and collections flows on a real Basalt: create a collection with fields, add, edit and delete records,
/// filter, sort, bulk delete, and a change made elsewhere appearing through realtime. Run on SQLite and PostgreSQL.
/// </summary>
public abstract class RecordsFlowTests(BrowserFixture browser, BasaltServerFixture server)
{
    [Fact]
    public async Task Create_a_collection_with_fields_in_the_editor()
    {
        var name = HttpJson.UniqueName("notes");
        var page = await browser.NewPageAsync(server);
        await Dashboard.SignInAsync(page);
        await page.GotoAsync("/_/collections/new/edit");

        await page.Locator("#collection-name").FillAsync(name);
        await page.Locator("#new-field-type").SelectOptionAsync("text");
        await page.Locator("#add-field").ClickAsync();
        await page.Locator("#new-field-type").SelectOptionAsync("number");
        await page.Locator("#add-field").ClickAsync();
        await page.Locator("#save-collection").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/_/collections/{name}$"));

        var (_, saved) = await server.Superuser.GetJsonAsync($"/api/collections/{name}");
        var fields = saved!["fields"]!.AsArray().Select(f => (f!["name"]!.GetValue<string>(), f["type"]!.GetValue<string>())).ToList();
        Assert.Contains(("text", "text"), fields);
        Assert.Contains(("number", "number"), fields);
    }

    [Fact]
    public async Task Add_edit_and_delete_a_record_through_the_form()
    {
        var name = await Dashboard.CreatePostsAsync(server);
        var page = await browser.NewPageAsync(server);
        await Dashboard.SignInAsync(page);
        await page.GotoAsync($"/_/collections/{name}");

        await page.Locator("#new-record").ClickAsync();
        await page.Locator("#field-title").FillAsync("first post");
        await page.Locator("#field-views").FillAsync("7");
        await page.Locator("#field-published").CheckAsync();
        await page.Locator("#save-record").ClickAsync();
        var row = page.Locator("table.records tbody tr", new() { HasText = "first post" });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        var (_, list) = await server.Superuser.GetJsonAsync($"/api/collections/{name}/records");
        var created = list!["items"]![0]!;

        await row.Locator("button.link").ClickAsync();
        await page.Locator("#field-title").FillAsync("first post, edited");
        await page.Locator("#save-record").ClickAsync();
        await Assertions.Expect(page.Locator("table.records tbody tr", new() { HasText = "first post, edited" })).ToHaveCountAsync(1);

        await page.Locator("table.records tbody tr button.link").First.ClickAsync();
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("table.records tbody tr")).ToHaveCountAsync(0);

        Assert.Equal(7, created["views"]!.GetValue<double>());
        Assert.True(created["published"]!.GetValue<bool>());
        var (status, _) = await server.Superuser.GetJsonAsync($"/api/collections/{name}/records/{created["id"]!.GetValue<string>()}");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, status);
    }

    [Fact]
    public async Task Filter_sort_count_and_bulk_delete()
    {
        var name = await Dashboard.CreatePostsAsync(server);
        foreach (var (title, views) in new[] { ("apple", 3), ("banana", 1), ("cherry", 2) })
        {
            await Dashboard.CreateRecordAsync(server, name, new JsonObject { ["title"] = title, ["views"] = views });
        }

        var page = await browser.NewPageAsync(server);
        await Dashboard.SignInAsync(page);
        await page.GotoAsync($"/_/collections/{name}");
        await Assertions.Expect(page.Locator("#record-count")).ToContainTextAsync("of 3 records");

        await page.GetByRole(AriaRole.Button, new() { Name = "views" }).ClickAsync();
        await Assertions.Expect(page.Locator("table.records tbody tr").First).ToContainTextAsync("banana");
        await page.Locator("#filter").FillAsync("views >= 2");
        await page.Locator("#filter").PressAsync("Enter");
        await Assertions.Expect(page.Locator("#record-count")).ToContainTextAsync("of 2 records");

        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GetByLabel("Select all on this page").CheckAsync();
        await page.Locator("#delete-selected").ClickAsync();
        await page.Locator("#filter").FillAsync("");
        await page.Locator("#filter").PressAsync("Enter");
        await Assertions.Expect(page.Locator("#record-count")).ToContainTextAsync("of 1 records");
        await Assertions.Expect(page.Locator("table.records tbody tr").First).ToContainTextAsync("banana");
    }

    [Fact]
    public async Task A_record_created_elsewhere_appears_through_realtime()
    {
        var name = await Dashboard.CreatePostsAsync(server);
        var page = await browser.NewPageAsync(server);
        await Dashboard.SignInAsync(page);
        await page.GotoAsync($"/_/collections/{name}");
        await Assertions.Expect(page.Locator(".live.on")).ToBeVisibleAsync();

        await Dashboard.CreateRecordAsync(server, name, new JsonObject { ["title"] = "pushed by realtime" });

        await Assertions.Expect(page.Locator("table.records tbody tr", new() { HasText = "pushed by realtime" })).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Changing_a_rule_and_deleting_a_field_asks_for_confirmation_first()
    {
        var name = await Dashboard.CreatePostsAsync(server);
        var page = await browser.NewPageAsync(server);
        await Dashboard.SignInAsync(page);
        await page.GotoAsync($"/_/collections/{name}/edit");

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete field views" }).ClickAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "API rules" }).ClickAsync();
        await page.Locator("#rule-listRule").FillAsync("published = true");
        await page.Locator("#save-collection").ClickAsync();

        var changes = page.Locator("#change-list");
        await Assertions.Expect(changes).ToContainTextAsync("Delete the field \"views\"");
        await Assertions.Expect(changes).ToContainTextAsync("List/Search rule: everyone → published = true");
        await page.Locator("#confirm-save").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/_/collections/{name}$"));

        var (_, saved) = await server.Superuser.GetJsonAsync($"/api/collections/{name}");
        Assert.Equal("published = true", saved!["listRule"]!.GetValue<string>());
        Assert.DoesNotContain(saved["fields"]!.AsArray(), f => f!["name"]!.GetValue<string>() == "views");
    }

    [Fact]
    public async Task The_rule_editor_checks_as_typed_and_completes_field_names()
    {
        var name = await Dashboard.CreatePostsAsync(server);
        var page = await browser.NewPageAsync(server);
        await Dashboard.SignInAsync(page);
        await page.GotoAsync($"/_/collections/{name}/edit");
        await page.GetByRole(AriaRole.Tab, new() { Name = "API rules" }).ClickAsync();
        var rule = page.Locator("#rule-viewRule");

        await rule.PressSequentiallyAsync("nope = 1");
        await Assertions.Expect(page.Locator("#rule-viewRule-state")).ToContainTextAsync("✗");
        await rule.FillAsync("");
        await rule.PressSequentiallyAsync("publ");
        await Assertions.Expect(page.Locator("#rule-viewRule-list")).ToContainTextAsync("published");
        await rule.PressAsync("Enter");
        await rule.PressSequentiallyAsync(" = true");

        await Assertions.Expect(rule).ToHaveValueAsync("published = true");
        await Assertions.Expect(page.Locator("#rule-viewRule-state")).ToContainTextAsync("✓ Valid");
    }

    [Fact]
    public async Task The_filter_box_checks_as_typed_completes_and_shows_why_a_filter_is_refused()
    {
        var name = await Dashboard.CreatePostsAsync(server);
        await Dashboard.CreateRecordAsync(server, name, new JsonObject { ["title"] = "kept", ["views"] = 5 });
        var page = await browser.NewPageAsync(server);
        await Dashboard.SignInAsync(page);
        await page.GotoAsync($"/_/collections/{name}");
        await Assertions.Expect(page.Locator("#record-count")).ToContainTextAsync("of 1 records");
        var filter = page.Locator("#filter");

        await filter.PressSequentiallyAsync("nope = 1");
        await Assertions.Expect(page.Locator("#filter-state")).ToContainTextAsync("unknown field nope");
        await page.Locator("#apply-filter").ClickAsync();
        var error = page.Locator(".error[role=alert]");
        await Assertions.Expect(error).ToContainTextAsync("Something went wrong while processing your request.");
        await Assertions.Expect(error).ToContainTextAsync("unknown field nope");
        await Assertions.Expect(page.Locator(".empty")).ToHaveCountAsync(0);

        await filter.FillAsync("");
        await filter.PressSequentiallyAsync("vie");
        await Assertions.Expect(page.Locator("#filter-list")).ToContainTextAsync("views");
        await filter.PressAsync("Enter");
        await filter.PressSequentiallyAsync(" > 4");
        await Assertions.Expect(filter).ToHaveValueAsync("views > 4");
        await Assertions.Expect(page.Locator("#filter-state")).ToContainTextAsync("✓ Valid");
        await filter.PressAsync("Enter");

        await Assertions.Expect(error).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("table.records tbody tr", new() { HasText = "kept" })).ToHaveCountAsync(1);
    }
}

[Collection(BrowserCollection.Name)]
public sealed class RecordsFlowSqliteTests(BrowserFixture browser, SqliteServerFixture server)
    : RecordsFlowTests(browser, server), IClassFixture<SqliteServerFixture>;

[Collection(BrowserCollection.Name)]
public sealed class RecordsFlowPostgresTests(BrowserFixture browser, PostgresServerFixture server)
    : RecordsFlowTests(browser, server), IClassFixture<PostgresServerFixture>;
