using System.Data.Common;
using Basalt.Common;
using Basalt.Model;
using Basalt.Storage;
using Microsoft.Extensions.Logging;

namespace Basalt.Collections;

/// <summary>
/// Where nodes share one database, a collection another node has just created is in the database before this node's
/// cache follows (its <c>NOTIFY</c> arrives moments after the commit). So a name this node does not know is checked
/// against the database before it is answered 404: the cache is reloaded if the collections changed. A miss is what
/// any client can cause with a random name, so checks are shared and spaced: a miss waits for the next check that
/// starts after it arrived (never one already under way, which may have read before the collection was committed),
/// every miss waiting meanwhile shares that one, and a check starts once the one before it has finished and at least
/// <see cref="Spacing"/> after it started (<see cref="SpacedRun"/>). A flood of misses costs at most one read of
/// <c>_collections</c> at a time and per <see cref="Spacing"/>, however slow the database.
/// On one node (SQLite) the cache is always current and nothing is checked.
/// </summary>
public sealed class CollectionMissCheck
{
    public static readonly TimeSpan Spacing = TimeSpan.FromMilliseconds(50);

    private readonly IDatabase _database;
    private readonly CollectionService _collections;
    private readonly ICollectionLookup _lookup;
    private readonly ILogger<CollectionMissCheck> _logger;
    private readonly SpacedRun _checks;

    public CollectionMissCheck(IDatabase database, CollectionService collections, ICollectionLookup lookup, TimeProvider time, ILogger<CollectionMissCheck> logger)
    {
        (_database, _collections, _lookup, _logger) = (database, collections, lookup, logger);
        _checks = new SpacedRun(CheckAsync, Spacing, time);
    }

    /// <summary>The collection <paramref name="idOrName"/>, from the cache or, on a miss in a shared database, after a check.</summary>
    public async ValueTask<Collection?> FindAsync(string idOrName, CancellationToken cancellationToken)
    {
        var hit = _lookup.Find(idOrName);
        if (hit is not null || !_database.Cluster.Shared)
        {
            return hit;
        }

        await _checks.Next().WaitAsync(cancellationToken);
        return _lookup.Find(idOrName);
    }

    /// <summary>
    /// Checks once for every collection of <paramref name="idsOrNames"/> this node's cache misses (the collections a
    /// batch names): one check however many are missing, so a batch costs at most one read of <c>_collections</c>.
    /// </summary>
    public async ValueTask CheckMissesAsync(IEnumerable<string> idsOrNames, CancellationToken cancellationToken)
    {
        if (!_database.Cluster.Shared)
        {
            return;
        }

        foreach (var idOrName in idsOrNames)
        {
            if (idOrName.Length > 0 && _lookup.Find(idOrName) is null)
            {
                await _checks.Next().WaitAsync(cancellationToken);
                return;
            }
        }
    }

    private async Task CheckAsync()
    {
        try
        {
            if (await _collections.ReloadIfChangedAsync(CancellationToken.None))
            {
                Log.ClusterCacheReloaded(_logger, "collections (on a miss)");
            }
        }
        catch (Exception e) when (e is DbException or ReadTimeoutException or TimeoutException or InvalidOperationException)
        {
            // The miss is answered from the cache as it is; the NOTIFY or the next resync brings the collection.
            Log.ClusterCacheReloadFailed(_logger, "collections (on a miss)", e);
        }
    }
}
