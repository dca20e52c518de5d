namespace Basalt.RateLimits;

/// <summary>
/// Counts requests per key in fixed windows. Basalt uses <see cref="MemoryRateLimitStore"/> (one node); several nodes
/// behind one load balancer can share limits by registering a store backed by a shared service instead.
/// </summary>
public interface IRateLimitStore
{
    /// <summary>Counts one request for <paramref name="key"/>; false when it is over <paramref name="maxRequests"/> in the current window.</summary>
    ValueTask<bool> TryAcquireAsync(string key, int maxRequests, TimeSpan window, CancellationToken cancellationToken);
}
