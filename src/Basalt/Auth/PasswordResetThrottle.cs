using System.Collections.Concurrent;
using Basalt.Model;

namespace Basalt.Auth;

/// <summary>
/// At most one password-reset mail per record every two minutes (§7.2), kept in process memory as PocketBase does.
/// Requests over the limit still answer 204, so the limit tells nobody whether the email exists.
/// </summary>
public sealed class PasswordResetThrottle(TimeProvider time)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(2);

    // Entries older than the interval are dead weight; they are swept when the map grows past this size.
    private const int SweepThreshold = 10_000;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _sent = new(StringComparer.Ordinal);

    /// <summary>True (and the clock restarts) when no reset mail went to <paramref name="record"/> in the last interval.</summary>
    public bool TryAcquire(Record record)
    {
        var key = record.Collection.Id + "/" + record.Id;
        var now = time.GetUtcNow();
        if (_sent.Count > SweepThreshold)
        {
            Sweep(now);
        }

        while (true)
        {
            if (!_sent.TryGetValue(key, out var last))
            {
                if (_sent.TryAdd(key, now))
                {
                    return true;
                }
            }
            else if (now - last < Interval)
            {
                return false;
            }
            else if (_sent.TryUpdate(key, now, last))
            {
                return true;
            }
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, last) in _sent)
        {
            if (now - last >= Interval)
            {
                _sent.TryRemove(new KeyValuePair<string, DateTimeOffset>(key, last));
            }
        }
    }
}
