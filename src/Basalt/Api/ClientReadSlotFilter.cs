using Basalt.Common;
using Basalt.Errors;
using Basalt.Http;
using Basalt.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Basalt.Api;

/// <summary>
/// Runs a record read inside one of its client's <see cref="ClientReadSlots"/> until its answer is made, not while the
/// client takes it (<see cref="HeldReadTurn"/>); superusers are not limited.
/// </summary>
internal sealed class ClientReadSlotFilter(ClientReadSlots slots, ClientIpResolver ips, ILogger<ClientReadSlotFilter> logger) : IEndpointFilter
{
    /// <summary>
    /// One filter per endpoint, built from the application's services; <c>AddEndpointFilter&lt;T&gt;()</c> would
    /// compile an expression tree for its factory at start-up and build a filter per request.
    /// </summary>
    public static EndpointFilterDelegate Create(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var services = context.ApplicationServices;
        var filter = new ClientReadSlotFilter(
            services.GetRequiredService<ClientReadSlots>(),
            services.GetRequiredService<ClientIpResolver>(),
            services.GetRequiredService<ILogger<ClientReadSlotFilter>>());
        return invocation => filter.InvokeAsync(invocation, next);
    }

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.GetAuthRecord() is { Collection.Name: SystemCollections.Superusers })
        {
            return await next(context);
        }

        var ip = await ips.ResolveAsync(http);
        var turn = await slots.EnterAsync(IpRanges.ClientKey(ip), http.RequestAborted);
        if (!turn.Granted)
        {
            Log.ReadTurnRefused(logger, ip);
            throw ApiError.TooManyRequests();
        }

        var held = new HeldReadTurn(turn);
        http.Features.Set(held);
        try
        {
            return await next(context);
        }
        finally
        {
            held.Release();
        }
    }
}
