namespace Basalt.Crons;

/// <summary>
/// The one seam of scheduling between nodes: asked before each scheduled run whether this node runs it. <see cref="ClusterCronGate"/>
/// answers yes on the leader of the nodes sharing the database (always, on one node), so that each occurrence runs on
/// exactly one of them. Runs asked for by hand (<c>POST /api/crons/{id}</c>)
/// are not gated: they run on the node that was asked.
/// </summary>
public interface ICronNodeGate
{
    ValueTask<bool> ShouldRunAsync(string jobId, DateTimeOffset occurrence, CancellationToken cancellationToken);
}
