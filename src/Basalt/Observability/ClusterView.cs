using System.Text.Json.Nodes;
using Basalt.Realtime;
using Basalt.Storage;
using Basalt.Storage.Tables;

namespace Basalt.Observability;

/// <summary>
/// This node's view of the nodes sharing its database, for <c>GET /api/health</c>: its id, whether it leads (runs the
/// scheduled jobs), the peers whose heartbeat it sees in <c>_nodes</c> (with their realtime position), and its realtime
/// lag (change-log entries not fanned out, or passed with no client connected, yet).
/// </summary>
public sealed class ClusterView(IDatabase database, ClusterTables tables, RealtimeDispatcher dispatcher, ClusterHeartbeat heartbeat, TimeProvider time)
{
    /// <summary>Nodes not seen for this long are deleted from <c>_nodes</c> when a view is read.</summary>
    private static readonly TimeSpan Forget = TimeSpan.FromHours(1);

    public async Task<JsonObject> DescribeAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var position = dispatcher.Position;
        var head = await tables.ChangeLogHeadAsync(cancellationToken);
        var nodes = await tables.NodesAsync(
            now - (long)ClusterHeartbeat.PeerTimeout.TotalMilliseconds, now - (long)Forget.TotalMilliseconds, cancellationToken);
        var peers = new JsonArray();
        foreach (var node in nodes.Where(n => n.Id != database.Cluster.NodeId))
        {
            peers.Add((JsonNode?)new JsonObject
            {
                ["id"] = node.Id,
                ["seenMsAgo"] = Math.Max(0, now - node.Seen),
                ["changeLogLag"] = Math.Max(0, head - node.Position),
            });
        }

        return new JsonObject
        {
            ["id"] = database.Cluster.NodeId,
            ["startedMsAgo"] = Math.Max(0, now - heartbeat.Started),
            ["listening"] = database.Cluster.Listening,
            ["leader"] = database.Cluster.IsLeader,
            ["changeLogHead"] = head,
            ["changeLogLag"] = Math.Max(0, head - position),
            ["peers"] = peers,
        };
    }
}
