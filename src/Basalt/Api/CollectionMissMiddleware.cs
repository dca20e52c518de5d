using Basalt.Collections;
using Microsoft.AspNetCore.Http;

namespace Basalt.Api;

/// <summary>
/// Before a route that names a collection runs: a name this node's cache does not know is checked against the database
/// where nodes share it (<see cref="CollectionMissCheck"/>), so a collection created on another node is used here on the
/// very next request rather than answered 404 until the signal arrives. Routes read the cache as before. A batch names
/// its collections in its body, not its route: <see cref="BatchEndpoints"/> checks those itself.
/// </summary>
internal sealed class CollectionMissMiddleware(RequestDelegate next, CollectionMissCheck check)
{
    private static readonly string[] RouteKeys = ["collection", "idOrName"];

    public async Task InvokeAsync(HttpContext context)
    {
        foreach (var key in RouteKeys)
        {
            if (context.Request.RouteValues[key] is string name && name.Length > 0)
            {
                await check.FindAsync(name, context.RequestAborted);
                break;
            }
        }

        await next(context);
    }
}
