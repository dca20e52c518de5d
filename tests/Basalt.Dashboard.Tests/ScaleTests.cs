using System.Text.Json.Nodes;
using Basalt.Model;
using Basalt.Storage;
using Basalt.Storage.Tables;
using Basalt.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Basalt.Dashboard.Tests;

/// <summary>
/// Issue 14's scale: 100 collections in the sidebar and a collection of 1,000,000 records whose page opens, pages and
/// counts on the server. The records are written by one SQL statement through the server's own database (the API
/// would take minutes), then counted into the kept row count as a start of the engine does. SQLite only: the seed is
/// SQLite's recursive CTE; the paging and counting it exercises are the dialect's, covered on both by the API tests.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ScaleTests(BrowserFixture browser, SqliteServerFixture server, ITestOutputHelper output) : IClassFixture<SqliteServerFixture>
{
    private const int Records = 1_000_000;
    private const int Collections = 100;

    [Fact]
    public async Task A_million_records_and_a_hundred_collections_stay_usable()
    {
        var prefix = HttpJson.UniqueName("many");
        var collections = new JsonArray();
        for (var i = 0; i < Collections; i++)
        {
            collections.Add(new JsonObject { ["name"] = $"{prefix}_{i:000}", ["type"] = "base", ["fields"] = new JsonArray(new JsonObject { ["name"] = "label", ["type"] = "text" }) });
        }

        var (imported, importBody) = await server.Superuser.SendJsonAsync(HttpMethod.Put, "/api/collections/import", new JsonObject { ["collections"] = collections, ["deleteMissing"] = false }.ToJsonString());
        Assert.True(imported == System.Net.HttpStatusCode.NoContent || imported == System.Net.HttpStatusCode.OK, importBody?.ToJsonString());
        var big = await Dashboard.CreatePostsAsync(server, "big");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await SeedAsync(big);
        var seeded = clock.Elapsed;
        var page = await browser.NewPageAsync(server);
        await Dashboard.SignInAsync(page);

        clock.Restart();
        await page.GotoAsync($"/_/collections/{big}");
        await Assertions.Expect(page.Locator("table.records tbody tr")).ToHaveCountAsync(20);
        await Assertions.Expect(page.Locator("#record-count")).ToHaveTextAsync($"1–20 of {Records} records");
        var opened = clock.Elapsed;
        await page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await Assertions.Expect(page.Locator("#record-count")).ToHaveTextAsync($"21–40 of {Records} records");
        await page.Locator("#filter").FillAsync("views > 999990");
        await page.Locator("#apply-filter").ClickAsync();
        await Assertions.Expect(page.Locator("#record-count")).ToHaveTextAsync("1–10 of 10 records");

        var sidebar = page.Locator(".sidebar");
        await Assertions.Expect(sidebar.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex(prefix) })).ToHaveCountAsync(Collections);
        await page.Locator("#collection-search").FillAsync($"{prefix}_042");
        await Assertions.Expect(sidebar.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex(prefix) })).ToHaveCountAsync(1);
        await sidebar.GetByRole(AriaRole.Link, new() { Name = $"{prefix}_042" }).ClickAsync();
        await Assertions.Expect(page.Locator("#record-count")).ToHaveTextAsync("0 records");

        // Printed, not asserted (bench/README.md, "Dashboard at scale").
        output.WriteLine($"seeded {Records} records in {seeded.TotalSeconds:0.0} s; records page with its count after {opened.TotalMilliseconds:0} ms");
    }

    /// <summary>
    /// One statement writes the rows (ids are 15 digits, <c>views</c> counts up), then the kept count is recounted in
    /// the same unit, as the engine does for a table it finds untracked at start.
    /// </summary>
    private async Task SeedAsync(string name)
    {
        var database = server.Services.GetRequiredService<IDatabase>();
        var collection = server.Services.GetRequiredService<ICollectionLookup>().Find(name) ?? throw new InvalidOperationException(name);
        await database.WriteAsync(
            async (connection, transaction, ct) =>
            {
                await using var insert = connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandTimeout = 300;
                insert.CommandText = $"""
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Records})
                    INSERT INTO "{name}" ("id", "title", "views", "published") SELECT printf('%015d', i), 'row ' || i, i, i % 2 FROM n
                    """;
                await insert.ExecuteNonQueryAsync(ct);
                await RowCountStore.TrackAsync(collection, connection, transaction, database.Dialect, ct);
                return 0;
            },
            CancellationToken.None);
    }
}
