using System.Collections.Concurrent;

namespace Basalt.Auth;

/// <summary>
/// Counts failed OTP checks per auth record (§14: 5 tries in 180 s), so a 6-to-8-digit code cannot be guessed by brute
/// force within its lifetime. In memory and per node, as PocketBase's limiter is.
/// </summary>
public sealed class OtpAttemptLimiter(TimeProvider time)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(180);

    // Keys exist only for records that own a real OTP row, so the map stays small; stale keys are swept on each failure.
    private readonly ConcurrentDictionary<string, List<DateTimeOffset>> _failures = new(StringComparer.Ordinal);

    /// <summary>True when the record already has <see cref="MaxFailures"/> failures inside the window.</summary>
    public bool IsBlocked(string recordKey)
    {
        if (!_failures.TryGetValue(recordKey, out var list))
        {
            return false;
        }

        var since = time.GetUtcNow() - Window;
        lock (list)
        {
            return list.Count(t => t > since) >= MaxFailures;
        }
    }

    public void RecordFailure(string recordKey)
    {
        var now = time.GetUtcNow();
        var list = _failures.GetOrAdd(recordKey, _ => []);
        lock (list)
        {
            list.RemoveAll(t => t <= now - Window);
            list.Add(now);
        }

        foreach (var (key, other) in _failures)
        {
            lock (other)
            {
                if (other.TrueForAll(t => t <= now - Window))
                {
                    _failures.TryRemove(new KeyValuePair<string, List<DateTimeOffset>>(key, other));
                }
            }
        }
    }
}
