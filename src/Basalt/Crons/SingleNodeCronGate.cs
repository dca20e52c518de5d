namespace Basalt.Crons;

/// <summary>The gate of a single node: it runs every job.</summary>
public sealed class SingleNodeCronGate : ICronNodeGate
{
    public ValueTask<bool> ShouldRunAsync(string jobId, DateTimeOffset occurrence, CancellationToken cancellationToken) => ValueTask.FromResult(true);
}
