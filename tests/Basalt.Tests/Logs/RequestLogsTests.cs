using System.Net;
using System.Text.Json.Nodes;
using Basalt.Common;
using Basalt.Logs;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Logs;

/// <summary>Request logs (§11): every request is written off its path, and superusers read them through <c>/api/logs</c>.</summary>
public abstract class RequestLogsTests(BasaltServerFixture fixture) : IAsyncLifetime
{
    private BasaltServerFixture Server { get; } = fixture;

    public Task InitializeAsync() => SetLogsAsync(new { maxDays = 5, minLevel = 0, logIP = true, logAuthId = false });

    public Task DisposeAsync() => SetLogsAsync(new { maxDays = 5, minLevel = 0, logIP = true, logAuthId = false });

    [Fact]
    public async Task A_request_is_logged_with_its_method_url_status_and_client()
    {
        var marker = Marker();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/health?m={marker}");
        request.Headers.TryAddWithoutValidation("User-Agent", "log-test/1.0");
        request.Headers.Referrer = new Uri("https://app.example.com/page");
        using var response = await Server.Guest.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var log = await WaitForLogAsync(marker);
        Assert.Equal(LogEntry.Info, log["level"]!.GetValue<int>());
        Assert.Equal($"GET /api/health?m={marker}", log["message"]!.GetValue<string>());
        var data = log["data"]!;
        Assert.Equal("request", data["type"]!.GetValue<string>());
        Assert.Equal("GET", data["method"]!.GetValue<string>());
        Assert.Equal(200, data["status"]!.GetValue<int>());
        Assert.Equal("guest", data["auth"]!.GetValue<string>());
        Assert.Equal("127.0.0.1", data["userIP"]!.GetValue<string>());
        Assert.Equal("log-test/1.0", data["userAgent"]!.GetValue<string>());
        Assert.Equal("https://app.example.com/page", data["referer"]!.GetValue<string>());
        Assert.True(data["execTime"]!.GetValue<double>() >= 0);
        Assert.Null(data["authId"]);
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z$", log["created"]!.GetValue<string>());

        var (status, one) = await Server.Superuser.GetJsonAsync("/api/logs/" + log["id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(log.ToJsonString(), one!.ToJsonString());
    }

    [Fact]
    public async Task Secrets_in_the_query_are_redacted_and_client_headers_are_bounded()
    {
        var marker = Marker();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/health?m={marker}&token=SECRET-FILE-TOKEN&code=SECRET-CODE");
        request.Headers.TryAddWithoutValidation("User-Agent", new string('a', 20_000));
        using var response = await Server.Guest.SendAsync(request);

        var log = await WaitForLogAsync(marker);
        Assert.Equal($"GET /api/health?m={marker}&token=***&code=***", log["message"]!.GetValue<string>());
        Assert.DoesNotContain("SECRET", log.ToJsonString(), StringComparison.Ordinal);
        Assert.True(log["data"]!["userAgent"]!.GetValue<string>().Length <= 2049);
    }

    [Fact]
    public async Task Secrets_in_the_referer_query_are_redacted()
    {
        // The dashboard's mail-link pages hold the token in their query (/_/auth/confirm-password-reset?token=…), and a
        // browser names the page in the Referer of the API calls it makes.
        var marker = Marker();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/health?m={marker}");
        request.Headers.TryAddWithoutValidation("Referer", "https://app.example.com/_/auth/confirm-password-reset?token=SECRET-MAIL-TOKEN&x=1");
        using var response = await Server.Guest.SendAsync(request);

        var log = await WaitForLogAsync(marker);
        Assert.Equal("https://app.example.com/_/auth/confirm-password-reset?token=***&x=1", log["data"]!["referer"]!.GetValue<string>());
        Assert.DoesNotContain("SECRET", log.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_request_is_a_warning_with_the_error_and_its_details()
    {
        var marker = Marker();
        var (status, _) = await Server.Superuser.PostJsonAsync($"/api/collections?m={marker}", new { name = "", type = "base" });
        Assert.Equal(HttpStatusCode.BadRequest, status);

        var log = await WaitForLogAsync(marker);
        Assert.Equal(LogEntry.Warn, log["level"]!.GetValue<int>());
        var data = log["data"]!;
        Assert.Equal(400, data["status"]!.GetValue<int>());
        Assert.Equal("_superusers", data["auth"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(data["error"]!.GetValue<string>()));
        Assert.NotNull(data["details"]!["name"]);
    }

    [Fact]
    public async Task Logs_are_filtered_sorted_and_paged_with_the_filter_language()
    {
        var marker = Marker();
        for (var i = 0; i < 3; i++)
        {
            await Server.Guest.GetAsync($"/api/health?m={marker}");
        }

        await Server.Guest.GetAsync($"/api/collections/nope_{marker}/records");
        await WaitForLogAsync(marker, count: 4);

        var filter = Uri.EscapeDataString(Matching(marker) + " && data.status >= 400");
        var (status, page) = await Server.Superuser.GetJsonAsync($"/api/logs?filter={filter}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, page!["totalItems"]!.GetValue<int>());
        Assert.Equal(404, page["items"]![0]!["data"]!["status"]!.GetValue<int>());

        filter = Uri.EscapeDataString(Matching(marker) + " && level = 0");
        (_, page) = await Server.Superuser.GetJsonAsync($"/api/logs?filter={filter}&perPage=2&sort=-created");
        Assert.Equal(3, page!["totalItems"]!.GetValue<int>());
        Assert.Equal(2, page["totalPages"]!.GetValue<int>());
        Assert.Equal(2, page["items"]!.AsArray().Count);

        (status, page) = await Server.Superuser.GetJsonAsync($"/api/logs?filter={filter}&page=2147483647&perPage=1000");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(page!["items"]!.AsArray());
        (status, page) = await Server.Superuser.GetJsonAsync("/api/collections?page=2147483647&perPage=1000");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(page!["items"]!.AsArray());

        (status, page) = await Server.Superuser.GetJsonAsync($"/api/logs?filter={filter}&skipTotal=1");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(-1, page!["totalItems"]!.GetValue<int>());

        (status, _) = await Server.Superuser.GetJsonAsync("/api/logs?filter=" + Uri.EscapeDataString("nope_field = 1"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        (status, _) = await Server.Superuser.GetJsonAsync("/api/logs?filter=" + Uri.EscapeDataString("@collection.users.email ?= 'x'"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        (status, _) = await Server.Superuser.GetJsonAsync("/api/logs/stats?filter=" + Uri.EscapeDataString("@collection.users.email ?= 'x'"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task Stats_count_the_logs_per_hour()
    {
        var marker = Marker();
        for (var i = 0; i < 3; i++)
        {
            await Server.Guest.GetAsync($"/api/health?m={marker}");
        }

        await WaitForLogAsync(marker, count: 3);
        var (status, stats) = await Server.Superuser.GetJsonAsync("/api/logs/stats?filter=" + Uri.EscapeDataString(Matching(marker)));
        Assert.Equal(HttpStatusCode.OK, status);
        var bucket = Assert.Single(stats!.AsArray());
        Assert.Equal(3, bucket!["total"]!.GetValue<int>());
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:00:00\.000Z$", bucket["date"]!.GetValue<string>());
    }

    [Fact]
    public async Task Only_superusers_read_or_delete_logs()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await Server.Guest.GetJsonAsync("/api/logs")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Server.Guest.GetJsonAsync("/api/logs/stats")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Server.Guest.DeleteJsonAsync("/api/logs")).Status);
        var collection = await AuthCollections.CreateAsync(Server, null);
        var user = await AuthCollections.SignUpAsync(Server, collection, Marker() + "@example.com", "12345678", asSuperuser: true);
        using var client = Server.NewClient(user.Token);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetJsonAsync("/api/logs")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Server.Superuser.GetJsonAsync("/api/logs/missing")).Status);
    }

    [Fact]
    public async Task Settings_decide_what_is_logged()
    {
        await SetLogsAsync(new { maxDays = 5, minLevel = 4, logIP = false, logAuthId = true });
        var quiet = Marker();
        var loud = Marker();
        await Server.Superuser.GetAsync($"/api/health?m={quiet}");
        await Server.Superuser.GetAsync($"/api/collections/nope_{loud}");
        var log = await WaitForLogAsync(loud);
        Assert.Null(log["data"]!["userIP"]);
        Assert.Null(log["data"]!["remoteIP"]);
        Assert.False(string.IsNullOrEmpty(log["data"]!["authId"]!.GetValue<string>()));
        Assert.Equal(0, await CountAsync(quiet));

        await SetLogsAsync(new { maxDays = 0, minLevel = 0, logIP = true, logAuthId = false });
        var off = Marker();
        await Server.Guest.GetAsync($"/api/collections/nope_{off}/records");
        await Server.Services.GetRequiredService<RequestLogWriter>().FlushAsync(CancellationToken.None);
        Assert.Equal(0, await CountAsync(off));
    }

    [Fact]
    public async Task Old_logs_are_pruned_and_delete_empties_the_store()
    {
        var store = Server.Services.GetRequiredService<LogStore>();
        var marker = Marker();
        var now = DateTimeOffset.UtcNow;
        await store.InsertAsync(
            [
                new LogEntry("old" + marker[..12], DateFormat.Format(now.AddDays(-6)), LogEntry.Info, "old " + marker, "{}"),
                new LogEntry("new" + marker[..12], DateFormat.Format(now.AddDays(-4)), LogEntry.Info, "new " + marker, "{}"),
            ],
            CancellationToken.None);
        Assert.Equal(2, await CountAsync(marker));

        await Server.Services.GetRequiredService<RequestLogWriter>().PruneAsync(CancellationToken.None);
        Assert.Equal(1, await CountAsync(marker));
        Assert.Equal(0, await CountAsync("old " + marker));

        Assert.Equal(HttpStatusCode.NoContent, (await Server.Superuser.DeleteJsonAsync("/api/logs")).Status);
        Assert.Equal(0, await CountAsync(marker));
    }

    /// <summary>Logs whose message holds <paramref name="marker"/>, except the reads of /api/logs that search for it.</summary>
    private static string Matching(string marker) => $"message ~ '{marker}' && message !~ '/api/logs'";

    private static string Marker() => "m" + Guid.NewGuid().ToString("N")[..16];

    private async Task<int> CountAsync(string marker)
    {
        var (status, page) = await Server.Superuser.GetJsonAsync("/api/logs?filter=" + Uri.EscapeDataString(Matching(marker)));
        Assert.Equal(HttpStatusCode.OK, status);
        return page!["totalItems"]!.GetValue<int>();
    }

    private async Task<JsonNode> WaitForLogAsync(string marker, int count = 1)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var (_, page) = await Server.Superuser.GetJsonAsync("/api/logs?filter=" + Uri.EscapeDataString(Matching(marker)));
            var items = page!["items"]!.AsArray();
            if (items.Count >= count)
            {
                return items[0]!;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no log for {marker}");
            await Task.Delay(100);
        }
    }

    private async Task SetLogsAsync(object logs)
    {
        var (status, body) = await Server.Superuser.PatchJsonAsync("/api/settings", new { logs });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
    }
}

public sealed class RequestLogsSqliteTests(SqliteServerFixture f) : RequestLogsTests(f), IClassFixture<SqliteServerFixture>;

public sealed class RequestLogsPostgresTests(PostgresServerFixture f) : RequestLogsTests(f), IClassFixture<PostgresServerFixture>;
