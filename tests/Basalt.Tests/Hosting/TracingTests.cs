using System.Diagnostics;
using System.Net;
using Basalt.Auth;
using Basalt.Hosting;
using Basalt.Model;
using Basalt.Tests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;

namespace Basalt.Tests.Hosting;

/// <summary>With tracing on (here the SDK's in-memory exporter), a records request is one span with its SQL and compilation as children.</summary>
public abstract class TracingTests
{
    protected abstract StorageKind Kind { get; }

    [Fact]
    public async Task A_list_request_is_a_server_span_with_filter_compilation_and_sql_children()
    {
        var spans = new List<Activity>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var dir = Path.Combine(Path.GetTempPath(), "basalt-traces-" + Guid.NewGuid().ToString("N")[..10]);
        var database = Kind == StorageKind.Postgres ? await PostgresCluster.CreateDatabaseAsync() : null;
        builder.Services.AddBasalt(o =>
        {
            o.DataDir = dir;
            o.Database = database;
        });
        builder.Services.AddBasaltTracing(tracing => tracing.AddInMemoryExporter(spans));
        await using var app = builder.Build();
        app.MapBasalt();
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
        await app.Services.GetRequiredService<SuperuserService>().UpsertAsync("root@example.com", "1234567890", CancellationToken.None);

        var (status, auth) = await client.PostJsonAsync($"/api/collections/{SystemCollections.Superusers}/auth-with-password", new { identity = "root@example.com", password = "1234567890" });
        Assert.Equal(HttpStatusCode.OK, status);
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", auth!["token"]!.GetValue<string>());
        using var response = await client.GetAsync("/api/collections/users/records?filter=" + Uri.EscapeDataString("verified = true"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await app.StopAsync();

        // The listener is process-wide, so other tests' servers add spans too: this server's are told by their port.
        var port = client.BaseAddress!.Port;
        var request = spans.Single(s => s.Kind == ActivityKind.Server && Equals(s.GetTagItem("server.port"), port)
            && s.GetTagItem("url.query") is string q && q.Contains("filter", StringComparison.Ordinal));
        var children = spans.Where(s => s.ParentSpanId == request.SpanId).ToList();
        Assert.Contains(children, s => s.DisplayName == "filter compile");
        Assert.Contains(children, s => s.Kind == ActivityKind.Client && (s.DisplayName == "sqlite read" || s.Source.Name == "Npgsql"));
    }
}

public sealed class TracingSqliteTests : TracingTests
{
    protected override StorageKind Kind => StorageKind.Sqlite;
}

public sealed class TracingPostgresTests : TracingTests
{
    protected override StorageKind Kind => StorageKind.Postgres;
}
