using System.Data.Common;
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
/// every miss waiting meanwhile shares that one, and checks start at least <see cref="Spacing"/> apart. A flood of
/// misses costs at most one read of <c>_collections</c> per <see cref="Spacing"/>, and each miss at most that long.
/// On one node (SQLite) the cache is always current and nothing is checked.
/// </summary>
public sealed class CollectionMissCheck(IDatabase database, CollectionService collections, ICollectionLookup lookup, TimeProvider time, ILogger<CollectionMissCheck> logger)
{
    public static readonly TimeSpan Spacing = TimeSpan.FromMilliseconds(50);

    private readonly Lock _gate = new();
    private Task? _next;
    private long _lastStart = long.MinValue;

    /// <summary>The collection <paramref name="idOrName"/>, from the cache or, on a miss in a shared database, after a check.</summary>
    public async ValueTask<Collection?> FindAsync(string idOrName, CancellationToken cancellationToken)
    {
        var hit = lookup.Find(idOrName);
        if (hit is not null || !database.Cluster.Shared)
        {
            return hit;
        }

        await NextCheck().WaitAsync(cancellationToken);
        return lookup.Find(idOrName);
    }

    private Task NextCheck()
    {
        lock (_gate)
        {
            if (_next is { } waiting)
            {
                return waiting;
            }

            var now = time.GetTimestamp();
            var spacing = (long)(Spacing.TotalSeconds * time.TimestampFrequency);
            var startAt = _lastStart == long.MinValue ? now : Math.Max(now, _lastStart + spacing);
            _lastStart = startAt;
            var check = CheckAsync(time.GetElapsedTime(now, startAt));
            _next = check;
            return check;
        }
    }

    private async Task CheckAsync(TimeSpan delay)
    {
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, time);
        }
        else
        {
            await Task.Yield();
        }

        // From here on the check may have read too early for a miss that arrives now: that one waits for the next.
        lock (_gate)
        {
            _next = null;
        }

        try
        {
            if (await collections.ReloadIfChangedAsync(CancellationToken.None))
            {
                Log.ClusterCacheReloaded(logger, "collections (on a miss)");
            }
        }
        catch (Exception e) when (e is DbException or ReadTimeoutException or TimeoutException or InvalidOperationException)
        {
            // The miss is answered from the cache as it is; the NOTIFY or the next resync brings the collection.
            Log.ClusterCacheReloadFailed(logger, "collections (on a miss)", e);
        }
    }
}
