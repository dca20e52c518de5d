using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Basalt.Api;

/// <summary><c>GET/HEAD /api/health</c>.</summary>
public static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapMethods("/health", ["GET", "HEAD"], () =>
            Results.Json(new { code = 200, message = "API is healthy.", data = new { } }));
    }
}
