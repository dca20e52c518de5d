using Basalt.Common;
using Basalt.Observability;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace Basalt.Hosting;

/// <summary>
/// Metrics through OpenTelemetry, exported for Prometheus at <c>/metrics</c> (on the API's address, or on a listener of
/// its own with <see cref="BasaltOptions.MetricsUrl"/>): HTTP requests per route template and status (ASP.NET Core's
/// instrumentation), Npgsql's pool, and Basalt's own meter. Off unless <see cref="BasaltOptions.Metrics"/> or
/// <see cref="BasaltOptions.MetricsUrl"/> is set (or a host calls <see cref="AddBasaltMetrics"/> itself).
/// </summary>
public static class BasaltMetricsServices
{
    public static IServiceCollection AddBasaltMetrics(this IServiceCollection services)
    {
        services.AddSingleton<BasaltGauges>();
        services.AddSingleton<MetricsEnabled>();
        services.AddSingleton<MetricsListener>();
        services.AddHostedService(sp => sp.GetRequiredService<MetricsListener>());
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddAspNetCoreInstrumentation()
            .AddMeter(BasaltMetrics.MeterName, "Npgsql")
            .AddPrometheusExporter());
        return services;
    }

    /// <summary>Tells <c>MapBasalt()</c> to map <c>/metrics</c> and to create the gauges.</summary>
    internal sealed class MetricsEnabled;
}
