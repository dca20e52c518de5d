using Basalt.Storage.Tables;
using Microsoft.Extensions.Hosting;

namespace Basalt.Collections;

/// <summary>
/// At start-up (after the system tables exist): loads the collection cache, creates <c>_superusers</c> if missing, and
/// counts once the tables whose row count is not kept yet (a database from before <c>_counts</c>).
/// </summary>
internal sealed class CollectionsInitializer(CollectionService collections, CollectionCache cache, RowCountStore counts) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await collections.EnsureSystemCollectionsAsync(cancellationToken);
        await counts.TrackMissingAsync(cache.All, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
