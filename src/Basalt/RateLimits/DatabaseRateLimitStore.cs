using Basalt.Storage.Tables;

namespace Basalt.RateLimits;

/// <summary>
/// Fixed-window counters in the database, so a limit counts every node's requests (10/min means 10/min in all): one
/// upsert per counted request on an unlogged table (<see cref="ClusterTables.HitAsync"/>), and ended windows swept at
/// most once a minute. Used where several nodes share one PostgreSQL; one node keeps <see cref="MemoryRateLimitStore"/>.
/// </summary>
public sealed class DatabaseRateLimitStore(ClusterTables tables, TimeProvider time) : IRateLimitStore
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private long _nextSweepMs;

    public async ValueTask<bool> TryAcquireAsync(string key, int maxRequests, TimeSpan window, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var due = Interlocked.Read(ref _nextSweepMs);
        if (now >= due && Interlocked.CompareExchange(ref _nextSweepMs, now + (long)SweepInterval.TotalMilliseconds, due) == due)
        {
            await tables.SweepRateLimitsAsync(now, cancellationToken);
        }

        return await tables.HitAsync(key, now, (long)window.TotalMilliseconds, cancellationToken) <= maxRequests;
    }
}
