using Basalt.Storage;

namespace Basalt.Crons;

/// <summary>
/// Runs scheduled jobs on exactly one node: the leader of the nodes sharing the database (<see cref="Storage.Cluster.IClusterBus.IsLeader"/>,
/// a PostgreSQL advisory lock held by the leader's listening connection, which moves to another node when the leader
/// dies). One node alone (SQLite) is always the leader.
/// </summary>
public sealed class ClusterCronGate(IDatabase database) : ICronNodeGate
{
    public ValueTask<bool> ShouldRunAsync(string jobId, DateTimeOffset occurrence, CancellationToken cancellationToken) =>
        ValueTask.FromResult(database.Cluster.IsLeader);
}
