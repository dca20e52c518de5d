using System.Diagnostics;
using System.Net;
using Basalt.Auth;
using Basalt.Hosting;
using Basalt.Model;
using Basalt.Tests.Fixtures;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using OpenTelemetry.Trace;

namespace Basalt.Tests.Hosting;

/// <summary>
/// With tracing on (here the SDK's in-memory exporter), a records request is one span with its SQL and compilation as
/// children; every list compiles its filter once, for both its page and its count.
/// </summary>
public abstract class TracingTests
{
    protected abstract StorageKind Kind { get; }

    [Fact]
    public async Task A_list_request_is_a_server_span_with_filter_compilation_and_sql_children()
    {
        var (app, client, spans) = await StartAsync();
        var port = client.BaseAddress!.Port;
        using (client)
        await using (app)
        {
            using var response = await client.GetAsync("/api/collections/users/records?filter=" + Uri.EscapeDataString("verified = true"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await app.StopAsync();
        }

        var children = ChildrenOf(spans, port, "/api/collections/users/records");
        Assert.Contains(children, s => s.DisplayName == "filter compile");
        Assert.Contains(children, s => s.Kind == ActivityKind.Client && (s.DisplayName == "sqlite read" || s.Source.Name == "Npgsql"));
    }

    [Theory]
    [InlineData("/api/collections/users/records")]
    [InlineData("/api/collections")]
    [InlineData("/api/logs")]
    public async Task A_list_compiles_its_filter_once_for_both_the_page_and_the_count(string path)
    {
        var (app, client, spans) = await StartAsync();
        var port = client.BaseAddress!.Port;
        using (client)
        await using (app)
        {
            using var response = await client.GetAsync(path + "?filter=" + Uri.EscapeDataString("id != ''"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await app.StopAsync();
        }

        Assert.Single(ChildrenOf(spans, port, path), s => s.DisplayName == "filter compile");
    }

    /// <summary>A traced server with a signed-in superuser client; <c>spans</c> fills as requests end.</summary>
    private async Task<(WebApplication App, HttpClient Client, List<Activity> Spans)> StartAsync()
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
        var app = builder.Build();
        app.MapBasalt();
        await app.StartAsync();
        var client = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
        await app.Services.GetRequiredService<SuperuserService>().UpsertAsync("root@example.com", "1234567890", CancellationToken.None);

        var (status, auth) = await client.PostJsonAsync($"/api/collections/{SystemCollections.Superusers}/auth-with-password", new { identity = "root@example.com", password = "1234567890" });
        Assert.Equal(HttpStatusCode.OK, status);
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", auth!["token"]!.GetValue<string>());
        return (app, client, spans);
    }

    /// <summary>
    /// The child spans of this server's request to <paramref name="path"/> with a filter. The listener is process-wide,
    /// so other tests' servers add spans too: this server's are told by their port.
    /// </summary>
    private static List<Activity> ChildrenOf(List<Activity> spans, int port, string path)
    {
        var request = spans.Single(s => s.Kind == ActivityKind.Server && Equals(s.GetTagItem("server.port"), port)
            && Equals(s.GetTagItem("url.path"), path)
            && s.GetTagItem("url.query") is string q && q.Contains("filter", StringComparison.Ordinal));
        return spans.Where(s => s.ParentSpanId == request.SpanId).ToList();
    }
}

/// <summary>
/// Tests whose outcome depends on which ActivityListeners the process has: a tracing test's provider listens to
/// ASP.NET Core process-wide, so a test that expects no Activity must not run while one is up.
/// </summary>
[CollectionDefinition(nameof(ActivityListenersCollection))]
public sealed class ActivityListenersCollection;

[Collection(nameof(ActivityListenersCollection))]
public sealed class TracingSqliteTests : TracingTests
{
    protected override StorageKind Kind => StorageKind.Sqlite;
}

[Collection(nameof(ActivityListenersCollection))]
public sealed class TracingPostgresTests : TracingTests
{
    protected override StorageKind Kind => StorageKind.Postgres;
}
