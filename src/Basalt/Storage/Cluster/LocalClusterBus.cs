namespace Basalt.Storage.Cluster;

/// <summary>The bus of a database only this process writes (SQLite): nothing to send, nothing ever received.</summary>
public sealed class LocalClusterBus : IClusterBus
{
    public string NodeId { get; } = ClusterNodeIds.New();

    public bool Shared => false;

    public bool Listening => true;

    public bool IsLeader => true;

    public Task SendAsync(ClusterChannel channel, string payload, CancellationToken cancellationToken) => Task.CompletedTask;

    public void Subscribe(ClusterChannel channel, Action<string> handler)
    {
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
