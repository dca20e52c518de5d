using Basalt.Common;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace Basalt.Hosting;

/// <summary>
/// Traces through OpenTelemetry: a span per request (ASP.NET Core's instrumentation), per PostgreSQL command (Npgsql's
/// own source), and Basalt's spans. <c>AddBasalt()</c> turns it on with the OTLP exporter when the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c>) variable is set; the exporter reads
/// the other <c>OTEL_*</c> variables itself.
/// </summary>
public static class BasaltTracingServices
{
    public static IServiceCollection AddBasaltTracing(this IServiceCollection services, Action<TracerProviderBuilder> exporter)
    {
        services.AddOpenTelemetry().WithTracing(tracing =>
        {
            tracing.AddAspNetCoreInstrumentation().AddSource(BasaltTracing.SourceName, "Npgsql");
            exporter(tracing);
        });
        return services;
    }

    internal static bool OtlpConfigured() =>
        !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"))
        || !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"));
}
