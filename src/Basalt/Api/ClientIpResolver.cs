using Basalt.Settings;
using Microsoft.AspNetCore.Http;

namespace Basalt.Api;

/// <summary>The client IP of a request (§1.5 "Real IP"): what rate limits, login alerts and realtime checks key on.</summary>
public sealed class ClientIpResolver(SettingsService settings)
{
    public async ValueTask<string> ResolveAsync(HttpContext context)
    {
        await settings.GetAsync(context.RequestAborted);
        return context.Connection.RemoteIpAddress?.ToString() ?? "";
    }
}
