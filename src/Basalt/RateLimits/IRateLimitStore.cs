namespace Basalt.RateLimits;

/// <summary>
/// Counts requests per key in fixed windows: <see cref="MemoryRateLimitStore"/> on one node (SQLite), and
/// <see cref="DatabaseRateLimitStore"/> where several nodes share one PostgreSQL, so a limit counts all of them.
/// </summary>
public interface IRateLimitStore
{
    /// <summary>Counts one request for <paramref name="key"/>; false when it is over <paramref name="maxRequests"/> in the current window.</summary>
    ValueTask<bool> TryAcquireAsync(string key, int maxRequests, TimeSpan window, CancellationToken cancellationToken);
}
