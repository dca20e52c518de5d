using Basalt.Api;
using Basalt.Errors;
using Basalt.RateLimits;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Basalt.Hosting;

/// <summary>Adds Basalt's middleware and API to an ASP.NET Core app: <c>app.MapBasalt()</c>.</summary>
public static class BasaltEndpointRouteBuilderExtensions
{
    /// <summary>
    /// The pipeline, in PocketBase's order (§1.1): the request log around everything (so it sees the final status), security headers and CORS first (so preflights short-circuit),
    /// then the error envelope around everything else, HEAD-as-GET before routing, a collection named by the route and
    /// unknown to this node checked against a shared database (<see cref="CollectionMissMiddleware"/>), the body limit (a
    /// route may set its own), the auth token, then the superuser IP list and the rate limits (both need the auth
    /// state), and a 404 envelope for anything no route matches.
    /// </summary>
    public static WebApplication MapBasalt(this WebApplication app)
    {
        app.UseMiddleware<RequestLogMiddleware>();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseBasaltCors();
        app.UseExceptionHandler();
        app.UseMiddleware<HeadRequestMiddleware>();
        app.UseRouting();
        app.UseMiddleware<CollectionMissMiddleware>();
        app.UseMiddleware<BodyLimitMiddleware>();
        app.UseMiddleware<TokenAuthMiddleware>();
        app.UseMiddleware<SuperuserIpMiddleware>();
        app.UseMiddleware<RateLimitMiddleware>();
        BasaltEndpoints.Map(app);
        if (app.Services.GetService<BasaltMetricsServices.MetricsEnabled>() is not null)
        {
            _ = app.Services.GetRequiredService<Observability.BasaltGauges>();
            if (string.IsNullOrWhiteSpace(app.Services.GetRequiredService<IOptions<BasaltOptions>>().Value.MetricsUrl))
            {
                app.MapPrometheusScrapingEndpoint(MetricsListener.Path);
            }
        }

        app.MapFallback("{*path}", NotFound);
        return app;
    }

    private static IResult NotFound() => throw ApiError.NotFound();

    /// <summary>
    /// <c>app.UseCors(policy)</c> without <c>UseMiddleware</c>: for a middleware whose <c>Invoke</c> takes services
    /// besides the context (CORS takes the policy provider), <c>UseMiddleware</c> compiles an expression tree, which
    /// loads System.Linq.Expressions and its compiler during start-up (bench/README.md, start-up). The provider is
    /// resolved per request from the request's services, as <c>UseMiddleware</c> does.
    /// </summary>
    private static void UseBasaltCors(this WebApplication app) => app.Use(next =>
    {
        var cors = new CorsMiddleware(next, app.Services.GetRequiredService<ICorsService>(), app.Services.GetRequiredService<ILoggerFactory>(), BasaltPlatformServices.CorsPolicy);
        return context => cors.Invoke(context, context.RequestServices.GetRequiredService<ICorsPolicyProvider>());
    });
}
