using Basalt.Errors;
using Basalt.Http;
using Basalt.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Basalt.Api;

/// <summary>Runs a record read inside one of its client's <see cref="ClientReadSlots"/>; superusers are not limited.</summary>
internal sealed class ClientReadSlotFilter(ClientReadSlots slots, ClientIpResolver ips, ILogger<ClientReadSlotFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.GetAuthRecord() is { Collection.Name: SystemCollections.Superusers })
        {
            return await next(context);
        }

        var ip = await ips.ResolveAsync(http);
        using var slot = await slots.EnterAsync(ip, http.RequestAborted);
        if (slot is null)
        {
            Log.ReadTurnRefused(logger, ip);
            throw ApiError.TooManyRequests();
        }

        return await next(context);
    }
}
