using Basalt.Common;
using Basalt.Observability;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace Basalt.Hosting;

/// <summary>
/// Metrics through OpenTelemetry, exported for Prometheus at <c>/metrics</c> (on the API's address, or on a listener of
/// its own with <see cref="BasaltOptions.MetricsUrl"/>): HTTP requests per route template and status (ASP.NET Core's
/// instrumentation), Npgsql's pool, and Basalt's own meter; also pushed over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// (or <c>OTEL_EXPORTER_OTLP_METRICS_ENDPOINT</c>) is set. Off unless <see cref="BasaltOptions.Metrics"/> or
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
        services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddAspNetCoreInstrumentation().AddMeter(BasaltMetrics.MeterName, "Npgsql").AddPrometheusExporter();
            if (OtlpConfigured())
            {
                // Pushed as well, for a collector that takes OTLP rather than scraping; the exporter reads OTEL_* itself.
                metrics.AddOtlpExporter();
            }
        });
        return services;
    }

    internal static bool OtlpConfigured() =>
        !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"))
        || !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"));

    /// <summary>Tells <c>MapBasalt()</c> to map <c>/metrics</c> and to create the gauges.</summary>
    internal sealed class MetricsEnabled;
}
