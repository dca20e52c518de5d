using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Basalt.Auth;
using Basalt.Model;
using Basalt.Storage;
using Basalt.Storage.Cluster;
using Basalt.Storage.Tables;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Basalt.Realtime;

/// <summary>
/// The broker of a node that may share its database with others: a publication goes to this node's clients and, on
/// PostgreSQL, to the other nodes' through <see cref="ClusterChannel.Realtime"/> (unless it targets a client of this
/// node), whose brokers deliver it to theirs. The payload is the publication itself: these messages (the OAuth2
/// popup's code) are small and exist nowhere else. On PostgreSQL it also records which node holds each client and
/// carries a subscribe that reached another node to the one holding the client (<c>.Forwarding.cs</c>), so no sticky
/// routing is needed. On SQLite this is the in-process broker and no table is used.
/// </summary>
public sealed partial class ClusterRealtimeBroker(
    RealtimeClientRegistry registry, RealtimeDispatcher dispatcher, ICollectionLookup collections, AuthRecordStore authRecords, IDatabase database,
    ClusterTables tables, TimeProvider time, ILogger<ClusterRealtimeBroker> logger)
    : IRealtimeBroker, IHostedService
{
    /// <summary>A node whose heartbeat is older than this is not counted as a peer (it beats every 5 s).</summary>
    private static readonly TimeSpan PeerTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The clients of a node not seen for this long are deleted: long enough that a node which lost PostgreSQL for a
    /// moment keeps them (its peers only stop forwarding to it meanwhile), short enough that a dead node's go soon.
    /// </summary>
    private static readonly TimeSpan ForgetAfter = TimeSpan.FromMinutes(1);

    private int _resyncing;

    private bool SpansNodes => database.Cluster.Shared;

    public async ValueTask<bool> HasPeersAsync(CancellationToken cancellationToken)
    {
        if (!SpansNodes)
        {
            return false;
        }

        var nodes = await tables.NodesAsync(Since(PeerTimeout), long.MinValue, cancellationToken);
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

    public async ValueTask ClientConnectedAsync(RealtimeClient client, CancellationToken cancellationToken)
    {
        if (!SpansNodes)
        {
            return;
        }

        try
        {
            await tables.AddRealtimeClientAsync(KeyOf(client.Id), database.Cluster.NodeId, Now, cancellationToken);
        }
        catch (Exception e) when (IsDatabaseFailure(e))
        {
            // The stream still works through this node; the next resync records the client once the database answers.
            Log.RealtimeClusterStateFailed(logger, "recording a client", e);
        }
    }

    public async ValueTask ClientGoneAsync(RealtimeClient client)
    {
        if (!SpansNodes)
        {
            return;
        }

        try
        {
            await tables.RemoveRealtimeClientAsync(KeyOf(client.Id), CancellationToken.None);
        }
        catch (Exception e) when (IsDatabaseFailure(e))
        {
            // A row left behind only sends a subscribe here, which answers 404; it goes with this node's others.
            Log.RealtimeClusterStateFailed(logger, "forgetting a client", e);
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
        database.Cluster.Subscribe(ClusterChannel.Subscribe, OnSubscribeSignal);
        database.Cluster.Subscribe(ClusterChannel.Subscribed, OnSubscribedSignal);
        database.Cluster.Subscribe(ClusterChannel.Resync, unused => _ = ResyncAsync());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// The key of a client in <c>_realtimeClients</c>: a hash of its id, so what the table holds cannot be presented as
    /// a client id (the id is the bearer of the client's subscriptions).
    /// </summary>
    internal static string KeyOf(string clientId) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(clientId)));

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    private long Since(TimeSpan ago) => time.GetUtcNow().Add(-ago).ToUnixTimeMilliseconds();

    private static bool IsDatabaseFailure(Exception e) =>
        e is DbException or ReadTimeoutException or TimeoutException or InvalidOperationException or OperationCanceledException;

    /// <summary>
    /// The safety net, run at each <see cref="ClusterChannel.Resync"/> (the listener re-opened, or every few seconds):
    /// subscribes whose signal this node missed are applied, the clients of dead nodes are deleted, and the rows of this
    /// node's clients are made to match its registry: a missing row (a failed insert, or a sweep while this node could not
    /// beat) hides the client from the other nodes, and a stale one (a failed delete) sends them here for nothing.
    /// </summary>
    internal async Task ResyncAsync()
    {
        if (Interlocked.Exchange(ref _resyncing, 1) == 1)
        {
            return;
        }

        try
        {
            RequestDrain();
            await tables.SweepRealtimeClientsAsync(Since(ForgetAfter), CancellationToken.None);
            // Read before the registry: a client that connects after it records itself at this time or later.
            var before = Now;
            string[] open = [.. registry.Clients.Where(c => !c.IsClosed).Select(c => KeyOf(c.Id))];
            await tables.SyncRealtimeClientsAsync(open, database.Cluster.NodeId, before, Now, CancellationToken.None);
        }
        catch (Exception e) when (IsDatabaseFailure(e))
        {
            Log.RealtimeClusterStateFailed(logger, "the realtime resync", e);
        }
        finally
        {
            Volatile.Write(ref _resyncing, 0);
        }
    }
}
