using System.Net;
using System.Text.RegularExpressions;
using Basalt.Tests.Fixtures;

namespace Basalt.Dashboard.Tests;

/// <summary>The superuser's tool pages: backups, crons, the mail test and the SQL console's refusal of a write.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class AdminPagesTests(BrowserFixture browser, SqliteServerFixture server) : IClassFixture<SqliteServerFixture>
{
    [Fact]
    public async Task A_backup_is_created_listed_downloaded_and_deleted()
    {
        var page = await browser.NewPageAsync(server);
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await Dashboard.SignInAsync(page);
        await page.GotoAsync("/_/settings/backups");
        var rows = page.Locator("#backups-table tbody tr");
        await Assertions.Expect(page.Locator("#create-backup")).ToBeVisibleAsync();
        var before = await rows.CountAsync();

        await page.Locator("#create-backup").ClickAsync();
        await Assertions.Expect(page.GetByText("Backup created.")).ToBeVisibleAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(before + 1);
        var (_, listed) = await server.Superuser.GetJsonAsync("/api/backups");
        var key = listed!.AsArray().Select(b => b!["key"]!.GetValue<string>()).Single(k => k.EndsWith(".zip", StringComparison.Ordinal) && !k.StartsWith('@'));
        var row = rows.Filter(new() { HasText = key });
        await Assertions.Expect(row).ToHaveCountAsync(1);

        // The download opens the file's URL (with a short-lived file token) in a new tab; the test fetches that URL.
        var opened = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        page.Context.Request += (_, request) =>
        {
            if (request.Url.Contains("/api/backups/", StringComparison.Ordinal))
            {
                opened.TrySetResult(request.Url);
            }
        };
        await row.GetByRole(AriaRole.Button, new() { Name = "Download" }).ClickAsync();
        var url = await opened.Task.WaitAsync(TimeSpan.FromSeconds(60));
        using var downloaded = await server.Guest.GetAsync(url);
        var zip = await downloaded.Content.ReadAsByteArrayAsync();

        await row.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Backup deleted.")).ToBeVisibleAsync();
        await Assertions.Expect(rows.Filter(new() { HasText = key })).ToHaveCountAsync(0);

        Assert.Equal(HttpStatusCode.OK, downloaded.StatusCode);
        Assert.Contains(key, url, StringComparison.Ordinal);
        Assert.Equal("PK"u8.ToArray(), zip[..2]);
        var (_, after) = await server.Superuser.GetJsonAsync("/api/backups");
        Assert.DoesNotContain(after!.AsArray(), b => b!["key"]!.GetValue<string>() == key);
    }

    [Fact]
    public async Task The_cron_jobs_are_listed_and_one_runs_now()
    {
        var page = await browser.NewPageAsync(server);
        await Dashboard.SignInAsync(page);
        await page.GotoAsync("/_/settings/backups");

        var row = page.Locator("#crons-table tbody tr", new() { HasText = "__pbLogsCleanup__" });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await row.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();

        await Assertions.Expect(page.GetByText("__pbLogsCleanup__ ran.")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_application_name_is_shown_again_after_a_reload()
    {
        var appName = HttpJson.UniqueName("app");
        var page = await browser.NewPageAsync(server);
        await Dashboard.SignInAsync(page);
        await page.GotoAsync("/_/settings/application");
        await page.Locator("#meta-appName").FillAsync(appName);
        await page.Locator("#meta-appName").PressAsync("Tab");
        await page.Locator("#save-settings").ClickAsync();
        await Assertions.Expect(page.GetByText("Settings saved.")).ToBeVisibleAsync();

        await page.ReloadAsync();

        await Assertions.Expect(page.Locator("#meta-appName")).ToHaveValueAsync(appName);
    }

    [Fact]
    public async Task A_test_mail_reaches_the_smtp_server()
    {
        await using var smtp = new SmtpTestServer();
        var (status, body) = await server.Superuser.PatchJsonAsync("/api/settings", new
        {
            meta = new { senderName = "Basalt", senderAddress = "noreply@example.com" },
            smtp = new { enabled = true, host = "127.0.0.1", port = smtp.Port, tls = false },
        });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        var recipient = HttpJson.UniqueName("mailtest") + "@example.com";
        var page = await browser.NewPageAsync(server);
        await Dashboard.SignInAsync(page);
        await page.GotoAsync("/_/settings/mail");

        await page.Locator("#test-email").FillAsync(recipient);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByText($"Test mail sent to {recipient}.")).ToBeVisibleAsync();

        var mail = await smtp.WaitForAsync(recipient, TimeSpan.FromSeconds(30));
        Assert.Contains(recipient, mail.Recipients, StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_sql_console_refuses_a_write_with_the_servers_message()
    {
        const string Write = "DELETE FROM _superusers";
        var (_, refusal) = await server.Superuser.PostJsonAsync("/api/sql", new { query = Write });
        var message = refusal!["data"]!["query"]!["message"]!.GetValue<string>();
        var page = await browser.NewPageAsync(server);
        await Dashboard.SignInAsync(page);
        await page.GotoAsync("/_/sql");

        await page.Locator("#sql-query").FillAsync(Write);
        await page.Locator("#sql-run").ClickAsync();

        await Assertions.Expect(page.Locator(".error[role=alert]")).ToContainTextAsync(message);
        await Assertions.Expect(page.Locator("#sql-result")).ToHaveCountAsync(0);
        var (_, superusers) = await server.Superuser.PostJsonAsync("/api/sql", new { query = "SELECT email FROM _superusers" });
        Assert.Contains(BasaltServerFixture.SuperuserEmail, superusers!["rows"]!.ToJsonString(), StringComparison.Ordinal);
    }
}

/// <summary>The metrics page on a server started with metrics on: the numbers appear once requests were made.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class MetricsPageTests(BrowserFixture browser, Basalt.Tests.Hosting.MetricsSqliteFixture server)
    : IClassFixture<Basalt.Tests.Hosting.MetricsSqliteFixture>
{
    [Fact]
    public async Task Requests_latency_and_the_pool_appear_after_a_few_requests()
    {
        for (var i = 0; i < 5; i++)
        {
            await server.Guest.GetAsync("/api/health");
        }

        await server.Guest.GetAsync("/api/collections/no_such_collection/records");
        var page = await browser.NewPageAsync(server);
        await Dashboard.SignInAsync(page);

        await page.GotoAsync("/_/metrics");

        await Assertions.Expect(Value(page, "Requests")).ToHaveTextAsync(Count());
        await Assertions.Expect(Value(page, "Latency p50 / p95 / p99")).ToContainTextAsync(" ms");
        await Assertions.Expect(Value(page, "Client errors (4xx)")).ToHaveTextAsync(Count());
        await Assertions.Expect(Value(page, "Database pool")).ToContainTextAsync("SQLite readers");
        await page.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();
        await Assertions.Expect(Card(page, "Requests")).ToContainTextAsync("req/s");
    }

    private static ILocator Card(IPage page, string title) =>
        page.Locator("#metrics-cards .card").Filter(new() { Has = page.Locator("strong", new() { HasTextRegex = new Regex("^" + Regex.Escape(title) + "$") }) });

    private static ILocator Value(IPage page, string title) => Card(page, title).Locator("span").First;

    /// <summary>A count of at least one.</summary>
    [GeneratedRegex(@"^[1-9][0-9]*$")]
    private static partial Regex Count();
}
