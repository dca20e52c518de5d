using Basalt.Tests.Fixtures;
using Basalt.Tests.Hosting;

namespace Basalt.Tests.Client;

/// <summary><c>client.Metrics</c>: the Prometheus text of a server with metrics on, null from one without.</summary>
public abstract class ClientMetricsTests(BasaltServerFixture server)
{
    [Fact]
    public async Task The_text_counts_the_requests_made_before_it()
    {
        await using var admin = await ClientKit.SuperuserAsync(server);
        await using var guest = ClientKit.Guest(server);
        for (var i = 0; i < 3; i++)
        {
            await guest.Health.CheckAsync();
        }

        var text = await admin.Metrics.GetTextAsync();
        var asGuest = await guest.Metrics.GetTextAsync();

        Assert.NotNull(text);
        Assert.Matches("http_server_request_duration_seconds_count\\{[^}]*http_route=\"/api/health\"[^}]*\\} [1-9]", text);
        Assert.Contains("basalt_realtime_connections", text, StringComparison.Ordinal);
        Assert.NotNull(asGuest);
    }
}

public sealed class ClientMetricsSqliteTests(MetricsSqliteFixture f) : ClientMetricsTests(f), IClassFixture<MetricsSqliteFixture>;

public sealed class ClientMetricsPostgresTests(MetricsPostgresFixture f) : ClientMetricsTests(f), IClassFixture<MetricsPostgresFixture>;

/// <summary>A server started without metrics: the client answers null rather than throwing on the 404.</summary>
public sealed class ClientMetricsOffTests(SqliteServerFixture server) : IClassFixture<SqliteServerFixture>
{
    [Fact]
    public async Task Without_metrics_the_text_is_null()
    {
        await using var admin = await ClientKit.SuperuserAsync(server);

        Assert.Null(await admin.Metrics.GetTextAsync());
    }
}
