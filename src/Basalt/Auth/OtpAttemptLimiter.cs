using System.Collections.Concurrent;
using Basalt.Storage;
using Basalt.Storage.Tables;

namespace Basalt.Auth;

/// <summary>
/// Limits OTP checks per code (§14: 5 tries in 180 s), so a 6-to-8-digit code cannot be guessed by brute force within
/// its lifetime, while a stranger spending the tries of a code they requested cannot lock the owner out of a new one.
/// A check takes its slot before the code is compared and gives it back only on success, so concurrent guesses cannot
/// slip past the count. In memory on one node, as PocketBase's limiter is; where several nodes share one PostgreSQL the
/// count is kept in the database (a fixed window of <see cref="Window"/> from the first failure, in <c>_rateLimits</c>),
/// so the tries of every node add up.
/// </summary>
public sealed class OtpAttemptLimiter(TimeProvider time, IDatabase database, ClusterTables tables)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(180);

    // Keys exist only for records that own a real OTP row, so the map stays small; stale keys are swept as attempts come in.
    private readonly ConcurrentDictionary<string, List<DateTimeOffset>> _attempts = new(StringComparer.Ordinal);

    /// <summary>Takes an attempt slot for the code (or whatever <paramref name="key"/> names); null when it has used up the window (answer 429).</summary>
    public async ValueTask<DateTimeOffset?> TryBeginAsync(string key, CancellationToken cancellationToken)
    {
        if (!database.Cluster.Shared)
        {
            return TryBegin(key);
        }

        var now = time.GetUtcNow();
        var count = await tables.HitAsync(SharedKey(key), now.ToUnixTimeMilliseconds(), (long)Window.TotalMilliseconds, cancellationToken);
        return count <= MaxFailures ? now : null;
    }

    /// <summary>Gives back the slot of a check that succeeded: only failures count against the key.</summary>
    public ValueTask SucceededAsync(string key, DateTimeOffset attempt, CancellationToken cancellationToken)
    {
        if (!database.Cluster.Shared)
        {
            Succeeded(key, attempt);
            return ValueTask.CompletedTask;
        }

        return new ValueTask(tables.ReleaseAsync(SharedKey(key), time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken));
    }

    private static string SharedKey(string key) => "otp-attempts:" + key;

    private DateTimeOffset? TryBegin(string key)
    {
        var now = time.GetUtcNow();
        Sweep(now);
        while (true)
        {
            var list = _attempts.GetOrAdd(key, _ => []);
            lock (list)
            {
                // A list swept away between GetOrAdd and the lock is orphaned; take the live one instead.
                if (!_attempts.TryGetValue(key, out var current) || !ReferenceEquals(current, list))
                {
                    continue;
                }

                list.RemoveAll(t => t <= now - Window);
                if (list.Count >= MaxFailures)
                {
                    return null;
                }

                list.Add(now);
                return now;
            }
        }
    }

    private void Succeeded(string key, DateTimeOffset attempt)
    {
        if (_attempts.TryGetValue(key, out var list))
        {
            lock (list)
            {
                list.Remove(attempt);
            }
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, list) in _attempts)
        {
            lock (list)
            {
                if (list.TrueForAll(t => t <= now - Window))
                {
                    _attempts.TryRemove(new KeyValuePair<string, List<DateTimeOffset>>(key, list));
                }
            }
        }
    }
}
