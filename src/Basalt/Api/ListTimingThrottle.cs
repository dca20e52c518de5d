using System.Security.Cryptography;
using Basalt.Model;
using Basalt.Query;
using Basalt.RateLimits;

namespace Basalt.Api;

/// <summary>
/// PocketBase's guard against timing a listRule through client filters (the rule and the filter run in one query):
/// when a client's filtered list of a collection with a non-empty listRule comes back empty more than
/// <see cref="MaxEmptyLists"/> times in <see cref="Window"/>, each further empty answer waits a random 0–500 ms.
/// Superusers are never delayed. The pause runs on the injected <see cref="TimeProvider"/> and ends early when the
/// client goes away.
/// </summary>
public sealed class ListTimingThrottle
{
    public const int MaxEmptyLists = 3;
    public const int MaxDelayMilliseconds = 500;
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(3);

    private readonly IRateLimitStore _counts;
    private readonly TimeProvider _time;
    private readonly Func<int, int> _random;

    public ListTimingThrottle(IRateLimitStore counts, TimeProvider time)
        : this(counts, time, RandomNumberGenerator.GetInt32)
    {
    }

    /// <param name="random">Returns a number from 0 up to (not including) its argument.</param>
    internal ListTimingThrottle(IRateLimitStore counts, TimeProvider time, Func<int, int> random)
    {
        _counts = counts;
        _time = time;
        _random = random;
    }

    /// <summary>The pause owed for a list answer with <paramref name="itemCount"/> items; zero when none is.</summary>
    public async ValueTask<TimeSpan> DelayForAsync(
        string client, Collection collection, ListQuery query, RequestInfo request, int itemCount, CancellationToken cancellationToken)
    {
        if (request.IsSuperuser || itemCount > 0 || string.IsNullOrEmpty(query.Filter) || string.IsNullOrEmpty(collection.ListRule))
        {
            return TimeSpan.Zero;
        }

        var key = "@list_timing_check_" + collection.Id + "|" + client;
        if (await _counts.TryAcquireAsync(key, MaxEmptyLists, Window, cancellationToken))
        {
            return TimeSpan.Zero;
        }

        return TimeSpan.FromMilliseconds(_random(MaxDelayMilliseconds));
    }

    /// <summary>Waits the pause owed (see <see cref="DelayForAsync"/>); cancelled with <paramref name="cancellationToken"/>.</summary>
    public async Task ThrottleAsync(
        string client, Collection collection, ListQuery query, RequestInfo request, int itemCount, CancellationToken cancellationToken)
    {
        var delay = await DelayForAsync(client, collection, query, request, itemCount, cancellationToken);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _time, cancellationToken);
        }
    }
}
