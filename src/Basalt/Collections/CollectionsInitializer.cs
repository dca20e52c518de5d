using Microsoft.Extensions.Hosting;

namespace Basalt.Collections;

/// <summary>At start-up (after the system tables exist): loads the collection cache and creates <c>_superusers</c> if missing.</summary>
internal sealed class CollectionsInitializer(CollectionService collections) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => collections.EnsureSystemCollectionsAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
