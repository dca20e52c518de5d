using Basalt.Realtime;

namespace Basalt.Tests.Realtime;

/// <summary>
/// Which entries a new subscription delivers when writes past the settled head had committed before it (runs of ids)
/// while an older one was still open: those are skipped, the open one and everything after them delivered.
/// </summary>
public sealed class LiveStartTests
{
    public static TheoryData<long, long[], long, long[], long[]> Cases => new()
    {
        // settled, committed runs as first,last pairs, expected start, delivered ids, skipped ids
        { 4, [], 5, [5, 6, 100], [4] },
        { 4, [5, 6, 8, 8], 7, [7, 9, 10], [5, 6, 8] },
        { 13, [12, 13, 15, 15], 14, [14, 16], [12, 13, 15] },
        { 10, [12, 13], 11, [11, 14], [10, 12, 13] },
        { 10, [11, 11, 13, 20, 30, 31], 12, [12, 21, 29, 32], [11, 13, 17, 20, 30, 31] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Skips_the_committed_runs_and_starts_past_the_one_that_follows_the_head(long settled, long[] runs, long from, long[] delivered, long[] skipped)
    {
        var committed = new IdRuns([.. runs.Chunk(2).Select(r => (r[0], r[1]))]);

        var live = LiveStart.After(settled, committed);

        Assert.Equal(from, live.From);
        Assert.All(delivered, id => Assert.True(live.Admits(id), $"{id} should be delivered"));
        Assert.All(skipped, id => Assert.False(live.Admits(id), $"{id} should be skipped"));
    }

    [Fact]
    public void A_default_start_admits_every_id()
    {
        Assert.True(default(LiveStart).Admits(1));
        Assert.True(new LiveStart(3).Admits(3));
        Assert.False(new LiveStart(3).Admits(2));
    }
}
