using System.Net;
using Basalt.Hosting;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Hosting;

/// <summary><c>/metrics</c> in Prometheus text format when metrics are on, with the engine's series after a few requests.</summary>
public abstract class MetricsTests(BasaltServerFixture fixture)
{
    private BasaltServerFixture Server { get; } = fixture;

    [Fact]
    public async Task A_scrape_after_some_requests_finds_the_http_database_and_queue_series()
    {
        var name = HttpJson.UniqueName("metered");
        var (status, _) = await Server.Superuser.PostJsonAsync("/api/collections", new { name, type = "base", fields = new[] { new { name = "title", type = "text" } }, listRule = "", createRule = "" });
        Assert.Equal(HttpStatusCode.OK, status);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await Server.Guest.PostJsonAsync($"/api/collections/{name}/records", new { title = "t" + i })).Status);
            Assert.Equal(HttpStatusCode.OK, (await Server.Guest.GetJsonAsync($"/api/collections/{name}/records")).Status);
        }

        using var response = await Server.Guest.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds_bucket", text, StringComparison.Ordinal);
        Assert.Contains("http_route=\"/api/collections/{collection}/records", text, StringComparison.Ordinal);
        Assert.Contains("basalt_realtime_connections", text, StringComparison.Ordinal);
        Assert.Contains("basalt_request_log_queue", text, StringComparison.Ordinal);
        Assert.Contains("basalt_mail_outbox", text, StringComparison.Ordinal);
        if (Server.Storage == StorageKind.Sqlite)
        {
            Assert.Contains("basalt_db_group_commit_writes", text, StringComparison.Ordinal);
            Assert.Contains("basalt_db_reader_wait_seconds", text, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("db_client_connection", text, StringComparison.Ordinal);
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
