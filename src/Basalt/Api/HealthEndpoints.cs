using System.Text.Json.Nodes;
using Basalt.Backups;
using Basalt.Http;
using Basalt.Model;
using Basalt.Settings;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Basalt.Api;

/// <summary><c>GET/HEAD /api/health</c>: always 200; superusers also see whether a backup may start, the client IP and a hint about proxy headers.</summary>
public static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/health", Health);
    }

    private static async Task<IResult> Health(HttpContext context, ClientIpResolver ips, SettingsService settings, BackupService backups)
    {
        var data = new JsonObject();
        if (context.GetAuthRecord() is { } auth && auth.Collection.Name == SystemCollections.Superusers)
        {
            data["canBackup"] = !backups.IsRunning;
            data["realIP"] = await ips.ResolveAsync(context);

            // The hint only matters while no trusted proxy header is configured (§1.5): this request's own proxy header,
            // else the one an earlier request brought from a loopback or private peer (what the log warned of, once).
            var trusted = (await settings.GetAsync(context.RequestAborted)).TrustedProxy.Headers.Count > 0;
            data["possibleProxyHeader"] = trusted ? "" : ClientIpResolver.ProxyHeaderOf(context.Request.Headers) ?? ips.IgnoredProxyHeader;
        }

        return Results.Json(new JsonObject { ["code"] = 200, ["message"] = "API is healthy.", ["data"] = data });
    }
}
