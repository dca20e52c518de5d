using System.Net;
using Basalt.Hosting;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Hosting;

/// <summary><c>/metrics</c> in Prometheus text format when metrics are on, with the engine's series after a few requests.</summary>
public abstract class MetricsTests(BasaltServerFixture fixture)
{
    private BasaltServerFixture Server { get; } = fixture;

    [Fact]
    public async Task A_scrape_after_some_requests_finds_every_series_the_operator_needs()
    {
        var name = HttpJson.UniqueName("metered");
        var (status, _) = await Server.Superuser.PostJsonAsync("/api/collections", new { name, type = "base", fields = new[] { new { name = "title", type = "text" } }, listRule = "", createRule = "" });
        Assert.Equal(HttpStatusCode.OK, status);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await Server.Guest.PostJsonAsync($"/api/collections/{name}/records", new { title = "t" + i })).Status);
            Assert.Equal(HttpStatusCode.OK, (await Server.Guest.GetJsonAsync($"/api/collections/{name}/records")).Status);
        }

        await RefuseOneListAsync(name);
        using var response = await Server.Guest.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);

        // Request rate (the histogram's _count) and latency per route template and status code.
        Assert.Contains("http_server_request_duration_seconds_bucket", text, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds_count", text, StringComparison.Ordinal);
        Assert.Matches("http_server_request_duration_seconds_count\\{[^}]*http_response_status_code=\"429\"", text);
        Assert.Contains("http_route=\"/api/collections/{collection}/records", text, StringComparison.Ordinal);

        // Realtime connections, their queued events and the change log read, rate-limit refusals, the request-log and mail queues.
        Assert.Contains("basalt_realtime_connections", text, StringComparison.Ordinal);
        Assert.Contains("basalt_realtime_queued", text, StringComparison.Ordinal);
        Assert.Contains("basalt_realtime_changes_read_total", text, StringComparison.Ordinal);
        Assert.Contains("basalt_rate_limit_refusals_total", text, StringComparison.Ordinal);
        Assert.Contains("basalt_request_log_queue", text, StringComparison.Ordinal);
        Assert.Contains("basalt_mail_outbox", text, StringComparison.Ordinal);
        if (Server.Storage == StorageKind.Sqlite)
        {
            // Group-commit size and time (the whole group, and its COMMIT: the fsync), reader pool usage and wait.
            Assert.Contains("basalt_db_group_commit_writes", text, StringComparison.Ordinal);
            Assert.Contains("basalt_db_group_commit_duration_seconds", text, StringComparison.Ordinal);
            Assert.Contains("basalt_db_group_commit_sync_seconds", text, StringComparison.Ordinal);
            Assert.Contains("basalt_db_readers_busy", text, StringComparison.Ordinal);
            Assert.Contains("basalt_db_readers_max", text, StringComparison.Ordinal);
            Assert.Contains("basalt_db_reader_wait_seconds", text, StringComparison.Ordinal);
        }
        else
        {
            // The pool: Npgsql's connections by state against the maximum (usage), and Basalt's time spent waiting.
            Assert.Contains("db_client_connection_count", text, StringComparison.Ordinal);
            Assert.Contains("db_client_connection_max", text, StringComparison.Ordinal);
            Assert.Matches("basalt_db_connection_wait_seconds_bucket\\{[^}]*pool=\"read\"", text);
            Assert.Matches("basalt_db_connection_wait_seconds_bucket\\{[^}]*pool=\"write\"", text);
        }
    }

    /// <summary>One guest list over a one-per-minute rule of this collection's own, so only this test is limited.</summary>
    private async Task RefuseOneListAsync(string collection)
    {
        var rule = new { label = collection + ":list", maxRequests = 1, duration = 60, audience = "" };
        Assert.Equal(HttpStatusCode.OK, (await Server.Superuser.PatchJsonAsync("/api/settings", new { rateLimits = new { enabled = true, rules = new[] { rule } } })).Status);
        try
        {
            await Server.Guest.GetJsonAsync($"/api/collections/{collection}/records");
            Assert.Equal((HttpStatusCode)429, (await Server.Guest.GetJsonAsync($"/api/collections/{collection}/records")).Status);
        }
        finally
        {
            await Server.Superuser.PatchJsonAsync("/api/settings", new { rateLimits = new { enabled = false, rules = Array.Empty<object>() } });
        }
    }
}

/// <summary>A server started with metrics on.</summary>
public abstract class MetricsOn : BasaltServerFixture
{
    protected override void Configure(BasaltOptions options) => options.Metrics = true;
}

public sealed class MetricsSqliteFixture : MetricsOn
{
    protected override StorageKind Kind => StorageKind.Sqlite;
}

public sealed class MetricsPostgresFixture : MetricsOn
{
    protected override StorageKind Kind => StorageKind.Postgres;
}

public sealed class MetricsSqliteTests(MetricsSqliteFixture f) : MetricsTests(f), IClassFixture<MetricsSqliteFixture>;

public sealed class MetricsPostgresTests(MetricsPostgresFixture f) : MetricsTests(f), IClassFixture<MetricsPostgresFixture>;

/// <summary>Metrics are off unless asked for.</summary>
public sealed class MetricsOffTests(SqliteServerFixture server) : IClassFixture<SqliteServerFixture>
{
    [Fact]
    public async Task Without_the_option_there_is_no_metrics_endpoint() =>
        Assert.Equal(HttpStatusCode.NotFound, (await server.Guest.GetJsonAsync("/metrics")).Status);
}

/// <summary>
/// With <c>MetricsUrl</c> set, <c>/metrics</c> is served on that listener alone. SQLite only: the listener does not
/// touch storage.
/// </summary>
public sealed class MetricsPortTests(MetricsPortFixture server) : IClassFixture<MetricsPortFixture>
{
    [Fact]
    public async Task Metrics_are_served_on_their_own_port_and_not_on_the_api_port()
    {
        var address = server.Services.GetRequiredService<MetricsListener>().Address;
        Assert.NotNull(address);
        Assert.NotEqual(server.BaseAddress.Port, new Uri(address).Port);
        using var metrics = new HttpClient { BaseAddress = new Uri(address) };
        Assert.Equal(HttpStatusCode.OK, (await server.Guest.GetJsonAsync("/api/health")).Status);

        using var scrape = await metrics.GetAsync("/metrics");
        var text = await scrape.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.Contains("basalt_request_log_queue", text, StringComparison.Ordinal);
        Assert.Contains("http_route=\"/api/health\"", text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Guest.GetJsonAsync("/metrics")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await metrics.GetAsync("/api/health")).StatusCode);
        Assert.Contains(server.Logs.WithId(Basalt.Common.BasaltEventIds.MetricsListening), e => Equals(e["Url"], address + "/metrics"));
    }
}

/// <summary>A SQLite server whose metrics listen on a port of their own (any free one).</summary>
public sealed class MetricsPortFixture : BasaltServerFixture
{
    protected override StorageKind Kind => StorageKind.Sqlite;

    protected override void Configure(BasaltOptions options) => options.MetricsUrl = "http://127.0.0.1:0";
}
