using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace Basalt.Hosting;

/// <summary>
/// With <see cref="BasaltOptions.MetricsUrl"/> set, a second, minimal Kestrel server in the same process that answers
/// <c>GET /metrics</c> from the host's meter provider and 404 to anything else. Being a server of its own, it listens
/// whatever addresses the host's own server was given (or configured in code), and the API port never serves metrics.
/// </summary>
internal sealed class MetricsListener(IOptions<BasaltOptions> options, IServiceProvider services, ILoggerFactory loggers, ILogger<MetricsListener> logger)
    : IHostedService, IAsyncDisposable
{
    public const string Path = "/metrics";

    private WebApplication? _app;

    /// <summary>The bound <c>http://host:port</c> (port 0 resolved) once started; null when metrics share the API's address.</summary>
    public string? Address { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(options.Value.MetricsUrl))
        {
            return;
        }

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Services.AddSingleton(loggers);
        var app = builder.Build();
        app.Urls.Add(options.Value.MetricsUrl);
        app.UseOpenTelemetryPrometheusScrapingEndpoint(services.GetRequiredService<MeterProvider>(), predicate: null, Path, configureBranchedPipeline: null, optionsName: null);
        app.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        _app = app;
        await app.StartAsync(cancellationToken);
        Address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        Log.MetricsListening(logger, Address + Path);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
