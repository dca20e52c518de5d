using System.Data.Common;
using Basalt.Realtime;
using Basalt.Storage;
using Basalt.Storage.Tables;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Basalt.Observability;

/// <summary>
/// This node's heartbeat where several nodes share one PostgreSQL: every <see cref="Interval"/> it writes its id, start
/// and change-log position to <c>_nodes</c> (what the others list as peers), and it is what says whether the node can
/// reach the database (<see cref="Healthy"/>, read by <c>GET /api/health</c>). When a beat fails it retries every second,
/// so the node is ready again soon after PostgreSQL is back, without a restart. On SQLite it does nothing.
/// </summary>
public sealed class ClusterHeartbeat(IDatabase database, ClusterTables tables, RealtimeDispatcher dispatcher, TimeProvider time, ILogger<ClusterHeartbeat> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <summary>A node not seen for this long is no longer listed as a peer.</summary>
    public static readonly TimeSpan PeerTimeout = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);

    private readonly long _started = time.GetUtcNow().ToUnixTimeMilliseconds();
    private volatile bool _beating = true;

    /// <summary>True while the last beat reached the database and the node listens to the others.</summary>
    public bool Healthy => !database.Cluster.Shared || (_beating && database.Cluster.Listening);

    /// <summary>When this node started (Unix ms).</summary>
    public long Started => _started;

    /// <summary>Writes one beat now; false when the database could not be reached.</summary>
    public async Task<bool> BeatAsync(CancellationToken cancellationToken)
    {
        try
        {
            await tables.BeatAsync(database.Cluster.NodeId, _started, time.GetUtcNow().ToUnixTimeMilliseconds(), dispatcher.Position, cancellationToken);
            _beating = true;
        }
        catch (Exception e) when (e is DbException or ReadTimeoutException or TimeoutException or InvalidOperationException)
        {
            if (_beating)
            {
                Log.ClusterHeartbeatFailed(logger, e);
            }

            _beating = false;
        }

        return _beating;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!database.Cluster.Shared)
        {
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var ok = await BeatAsync(stoppingToken);
                await Task.Delay(ok ? Interval : Retry, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // the host is stopping
        }
    }
}
