using Basalt.Api;
using Basalt.Model;
using Basalt.Query;
using Basalt.RateLimits;
using Basalt.Tests.Common;

namespace Basalt.Tests.Api;

/// <summary>The random pause after repeated empty filtered lists: who gets it, when, and that it ends early on cancellation.</summary>
public sealed class ListTimingThrottleTests
{
    private static readonly Collection Guarded = new() { Id = "pbc_g", Name = "guarded", ListRule = "owner = @request.auth.id" };
    private static readonly ListQuery Filtered = new() { Filter = "title = 'x'" };

    private readonly SteppedClock _clock = new();
    private readonly ListTimingThrottle _throttle;

    public ListTimingThrottleTests()
    {
        _throttle = new ListTimingThrottle(new MemoryRateLimitStore(_clock), _clock, max => max - 1);
    }

    private ValueTask<TimeSpan> EmptyAsync(string client = "1.2.3.4", Collection? collection = null, ListQuery? query = null, RequestInfo? request = null, int items = 0) =>
        _throttle.DelayForAsync(client, collection ?? Guarded, query ?? Filtered, request ?? new RequestInfo(), items, CancellationToken.None);

    [Fact]
    public async Task Empty_filtered_lists_beyond_three_in_three_seconds_owe_a_random_pause_under_500_ms()
    {
        for (var i = 0; i < ListTimingThrottle.MaxEmptyLists; i++)
        {
            Assert.Equal(TimeSpan.Zero, await EmptyAsync());
        }

        Assert.Equal(TimeSpan.FromMilliseconds(499), await EmptyAsync());
        Assert.Equal(TimeSpan.Zero, await EmptyAsync(client: "5.6.7.8"));
        _clock.Advance(ListTimingThrottle.Window);
        Assert.Equal(TimeSpan.Zero, await EmptyAsync());
    }

    [Fact]
    public async Task Superusers_lists_with_items_or_without_filter_and_open_rules_are_never_paused()
    {
        var superuser = new RequestInfo { Auth = new Basalt.Model.Record(new Collection { Id = "pbc_su", Name = SystemCollections.Superusers, Type = CollectionType.Auth }) { Id = "su" } };
        var open = new Collection { Id = "pbc_o", Name = "open", ListRule = "" };
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(TimeSpan.Zero, await EmptyAsync(request: superuser));
            Assert.Equal(TimeSpan.Zero, await EmptyAsync(items: 1));
            Assert.Equal(TimeSpan.Zero, await EmptyAsync(query: new ListQuery()));
            Assert.Equal(TimeSpan.Zero, await EmptyAsync(collection: open));
        }
    }

    [Fact]
    public async Task The_pause_runs_on_the_injected_clock_and_ends_when_the_client_goes_away()
    {
        for (var i = 0; i < ListTimingThrottle.MaxEmptyLists; i++)
        {
            await _throttle.ThrottleAsync("c", Guarded, Filtered, new RequestInfo(), 0, CancellationToken.None);
        }

        var paused = _throttle.ThrottleAsync("c", Guarded, Filtered, new RequestInfo(), 0, CancellationToken.None);
        Assert.False(paused.IsCompleted);
        _clock.Advance(TimeSpan.FromMilliseconds(499));
        await paused.WaitAsync(TimeSpan.FromSeconds(10));

        using var gone = new CancellationTokenSource();
        var abandoned = _throttle.ThrottleAsync("c", Guarded, Filtered, new RequestInfo(), 0, gone.Token);
        Assert.False(abandoned.IsCompleted);
        await gone.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
