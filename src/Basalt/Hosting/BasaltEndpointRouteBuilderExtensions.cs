using Basalt.Api;
using Microsoft.AspNetCore.Builder;

namespace Basalt.Hosting;

/// <summary>Adds Basalt's middleware and API to an ASP.NET Core app: <c>app.MapBasalt()</c>.</summary>
public static class BasaltEndpointRouteBuilderExtensions
{
    public static WebApplication MapBasalt(this WebApplication app)
    {
        app.UseExceptionHandler();
        BasaltEndpoints.Map(app);
        return app;
    }
}
