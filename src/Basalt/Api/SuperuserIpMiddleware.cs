using Basalt.Common;
using Basalt.Errors;
using Basalt.Http;
using Basalt.Model;
using Basalt.Settings;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Basalt.Api;

/// <summary>
/// <c>settings.superuserIPs</c> (§1.5): when the list is not empty, a request authenticated as a superuser from a
/// client IP outside it is refused with 403 before any route runs.
/// </summary>
internal sealed class SuperuserIpMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetAuthRecord() is { } auth && auth.Collection.Name == SystemCollections.Superusers)
        {
            var allowed = (await context.RequestServices.GetRequiredService<SettingsService>().GetAsync(context.RequestAborted)).SuperuserIps;
            if (allowed.Count > 0)
            {
                var ip = await context.RequestServices.GetRequiredService<ClientIpResolver>().ResolveAsync(context);
                if (!IpRanges.Contains(allowed, ip))
                {
                    throw ApiError.Forbidden();
                }
            }
        }

        await next(context);
    }
}
