using System.Collections.Concurrent;

namespace Basalt.RateLimits;

/// <summary>
/// Fixed-window counters in process memory. Memory is bounded: ended windows are swept at most once a minute, and
/// when more than <see cref="MaxKeys"/> keys are live (many client IPs at once) a slice of them is dropped, which
/// forgets a few counts rather than growing without limit.
/// </summary>
public sealed class MemoryRateLimitStore(TimeProvider time) : IRateLimitStore
{
    public const int MaxKeys = 100_000;

    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private long _nextSweepTicks;

    public int Count => _windows.Count;

    public ValueTask<bool> TryAcquireAsync(string key, int maxRequests, TimeSpan window, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcTicks;
        SweepIfDue(now);
        var entry = _windows.GetOrAdd(key, static _ => new Window());
        lock (entry)
        {
            if (now >= entry.EndsTicks)
            {
                entry.EndsTicks = now + window.Ticks;
                entry.Count = 0;
            }

            if (entry.Count >= maxRequests)
            {
                return ValueTask.FromResult(false);
            }

            entry.Count++;
            return ValueTask.FromResult(true);
        }
    }

    private void SweepIfDue(long now)
    {
        var due = Interlocked.Read(ref _nextSweepTicks);
        if ((now < due && _windows.Count <= MaxKeys) || Interlocked.CompareExchange(ref _nextSweepTicks, now + SweepInterval.Ticks, due) != due)
        {
            return;
        }

        foreach (var (key, entry) in _windows)
        {
            if (Volatile.Read(ref entry.EndsTicks) <= now)
            {
                _windows.TryRemove(key, out _);
            }
        }

        var excess = _windows.Count - (MaxKeys * 9 / 10);
        if (excess > 0)
        {
            foreach (var key in _windows.Keys.Take(excess))
            {
                _windows.TryRemove(key, out _);
            }
        }
    }

    private sealed class Window
    {
        public long EndsTicks;
        public int Count;
    }
}
