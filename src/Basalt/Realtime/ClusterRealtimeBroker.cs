using System.Text.Json;
using Basalt.Storage;
using Basalt.Storage.Cluster;
using Basalt.Storage.Tables;
using Microsoft.Extensions.Hosting;

namespace Basalt.Realtime;

/// <summary>
/// The broker of a node that may share its database with others: a publication goes to this node's clients and, on
/// PostgreSQL, to the other nodes' through <see cref="ClusterChannel.Realtime"/> (unless it targets a client of this
/// node), whose brokers deliver it to theirs. The payload is the publication itself: these messages (the OAuth2
/// popup's code) are small and exist nowhere else. On SQLite this is the in-process broker.
/// </summary>
public sealed class ClusterRealtimeBroker(RealtimeClientRegistry registry, IDatabase database, ClusterTables tables, TimeProvider time)
    : IRealtimeBroker, IHostedService
{
    /// <summary>A node whose heartbeat is older than this is not counted as a peer (it beats every 5 s).</summary>
    private static readonly TimeSpan PeerTimeout = TimeSpan.FromSeconds(15);

    private bool SpansNodes => database.Cluster.Shared;

    public async ValueTask<bool> HasPeersAsync(CancellationToken cancellationToken)
    {
        if (!SpansNodes)
        {
            return false;
        }

        var since = time.GetUtcNow().Add(-PeerTimeout).ToUnixTimeMilliseconds();
        var nodes = await tables.NodesAsync(since, long.MinValue, cancellationToken);
        return nodes.Any(n => n.Id != database.Cluster.NodeId);
    }

    public async ValueTask PublishAsync(RealtimePublication publication, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        registry.Deliver(publication);
        if (SpansNodes && (publication.ClientId is null || registry.Find(publication.ClientId) is null))
        {
            var json = JsonSerializer.Serialize(publication, RealtimeJsonContext.Default.RealtimePublication);
            await database.Cluster.SendAsync(ClusterChannel.Realtime, json, cancellationToken);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        database.Cluster.Subscribe(ClusterChannel.Realtime, payload =>
        {
            if (JsonSerializer.Deserialize(payload, RealtimeJsonContext.Default.RealtimePublication) is { } publication)
            {
                registry.Deliver(publication);
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
