namespace Basalt.Crons;

/// <summary>
/// The one seam of scheduling between nodes: asked before each scheduled run whether this node runs it. One node
/// answers yes always (<see cref="SingleNodeCronGate"/>); several nodes sharing a database will take a lease per job
/// and occurrence, so that each occurrence runs on exactly one of them. Runs asked for by hand (<c>POST /api/crons/{id}</c>)
/// are not gated: they run on the node that was asked.
/// </summary>
public interface ICronNodeGate
{
    ValueTask<bool> ShouldRunAsync(string jobId, DateTimeOffset occurrence, CancellationToken cancellationToken);
}
