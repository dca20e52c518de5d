using System.Data.Common;
using Basalt.Settings;
using Basalt.Storage;
using Basalt.Storage.Cluster;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Basalt.Collections;

/// <summary>
/// Keeps this node's caches of persisted state in step with the other nodes of the database: the collections (and so
/// every rule, token secret and OpenAPI document derived from them, which are keyed by the cached collection) and the
/// settings. A node that changes one signals it right after its commit, before it answers; this node reloads on the
/// signal, and on each <see cref="ClusterChannel.Resync"/> compares what it holds with the database, the safety net
/// for a signal it could not receive. One node alone (SQLite) never receives either.
/// </summary>
public sealed class ClusterCacheFollower(IDatabase database, CollectionService collections, SettingsService settings, ILogger<ClusterCacheFollower> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        database.Cluster.Subscribe(ClusterChannel.Caches, name =>
        {
            if (name == ClusterCaches.Collections)
            {
                _ = FollowAsync(ClusterCaches.Collections, collections.ReloadIfChangedAsync);
            }
            else if (name == ClusterCaches.Settings)
            {
                _ = FollowAsync(ClusterCaches.Settings, settings.ReloadIfChangedAsync);
            }
        });
        database.Cluster.Subscribe(ClusterChannel.Resync, unused =>
        {
            _ = FollowAsync(ClusterCaches.Collections, collections.ReloadIfChangedAsync);
            _ = FollowAsync(ClusterCaches.Settings, settings.ReloadIfChangedAsync);
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task FollowAsync(string cache, Func<CancellationToken, Task<bool>> reload)
    {
        try
        {
            if (await reload(CancellationToken.None))
            {
                Log.ClusterCacheReloaded(logger, cache);
            }
        }
        catch (Exception e) when (e is DbException or ReadTimeoutException or TimeoutException or InvalidOperationException)
        {
            // The next signal or resync tries again.
            Log.ClusterCacheReloadFailed(logger, cache, e);
        }
    }
}
