using System.Text.Json.Nodes;
using Basalt.Backups;
using Basalt.Http;
using Basalt.Model;
using Basalt.Observability;
using Basalt.Settings;
using Basalt.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Basalt.Api;

/// <summary>
/// <c>GET/HEAD /api/health</c>: 200 while the node can serve; superusers also see whether a backup may start, the client
/// IP, a hint about proxy headers and, where several nodes share one PostgreSQL, this node's id and its view of the cluster (the peers seen
/// through <c>_nodes</c>, and how far its realtime reader is behind the change log). Such a node answers 503 while it
/// cannot reach the database (its heartbeat fails or its listening connection is down), so a load balancer stops
/// sending it requests, and 200 again once PostgreSQL is back, without a restart.
/// </summary>
public static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/health", Health);
    }

    private static async Task<IResult> Health(
        HttpContext context, ClientIpResolver ips, SettingsService settings, BackupService backups, IDatabase database, ClusterHeartbeat heartbeat,
        ClusterView cluster)
    {
        if (!heartbeat.Healthy)
        {
            return Results.Json(new JsonObject { ["code"] = 503, ["message"] = "The node cannot reach its database.", ["data"] = new JsonObject() }, ApiJsonContext.Default.JsonObject, statusCode: 503);
        }

        var data = new JsonObject();
        if (context.GetAuthRecord() is { } auth && auth.Collection.Name == SystemCollections.Superusers)
        {
            if (database.Cluster.Shared)
            {
                data["node"] = await cluster.DescribeAsync(context.RequestAborted);
            }

            data["canBackup"] = !backups.IsRunning;
            data["realIP"] = await ips.ResolveAsync(context);

            // The hint only matters while no trusted proxy header is configured (§1.5): this request's own proxy header,
            // else the one an earlier request brought from a loopback or private peer (what the log warned of, once).
            var trusted = (await settings.GetAsync(context.RequestAborted)).TrustedProxy.Headers.Count > 0;
            data["possibleProxyHeader"] = trusted ? "" : ClientIpResolver.ProxyHeaderOf(context.Request.Headers) ?? ips.IgnoredProxyHeader;
        }

        return Results.Json(new JsonObject { ["code"] = 200, ["message"] = "API is healthy.", ["data"] = data }, ApiJsonContext.Default.JsonObject);
    }
}
