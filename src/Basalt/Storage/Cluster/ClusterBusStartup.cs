using Microsoft.Extensions.Hosting;

namespace Basalt.Storage.Cluster;

/// <summary>Starts listening to the other nodes once the database is ready, and stops with the host.</summary>
internal sealed class ClusterBusStartup(IDatabase database) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => database.Cluster.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => database.Cluster.StopAsync(cancellationToken);
}
