namespace Basalt.Storage.Cluster;

/// <summary>
/// The signals between the nodes that share one database. On PostgreSQL they travel by <c>LISTEN/NOTIFY</c>
/// (<see cref="Postgres.PostgresClusterBus"/>); on SQLite there is one process and nothing to send
/// (<see cref="LocalClusterBus"/>). A signal only says that something changed: the state itself is always read from
/// the database, so a signal lost with a broken connection costs only time (<see cref="ClusterChannel.Resync"/>).
/// </summary>
public interface IClusterBus
{
    /// <summary>How often followers are asked to check their state even without a signal.</summary>
    static readonly TimeSpan SafetyInterval = TimeSpan.FromSeconds(10);

    /// <summary>This process's id among the nodes, unique per start.</summary>
    string NodeId { get; }

    /// <summary>True when other processes may write the same database (PostgreSQL).</summary>
    bool Shared { get; }

    /// <summary>True while the node listens for the others' signals (always on SQLite).</summary>
    bool Listening { get; }

    /// <summary>
    /// True while this node is the one that runs scheduled work (cron jobs, scheduled backups): on PostgreSQL the node
    /// whose listening connection holds the leader advisory lock, which PostgreSQL releases when that connection or its
    /// node dies, so another node takes over within <see cref="SafetyInterval"/>; always true on SQLite.
    /// </summary>
    bool IsLeader { get; }

    /// <summary>Sends <paramref name="payload"/> to every other node (not to this one); returns once PostgreSQL has it.</summary>
    Task SendAsync(ClusterChannel channel, string payload, CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="handler"/> with each payload another node sends on <paramref name="channel"/>.</summary>
    void Subscribe(ClusterChannel channel, Action<string> handler);

    /// <summary>Starts listening (a dedicated connection on PostgreSQL) until <see cref="StopAsync"/>.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    Task StopAsync(CancellationToken cancellationToken);
}
