using Basalt.Api;
using Basalt.Common;
using Microsoft.Extensions.Options;

namespace Basalt.Tests.Api;

/// <summary>
/// The turns of record reads (<see cref="ClientReadSlots"/>) without a server: per client, for all clients, the quarter
/// kept for first reads and who gets a freed turn.
/// </summary>
public sealed class ClientReadSlotsTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(3, 1)]
    [InlineData(13, 3)]
    [InlineData(56, 14)]
    public void A_quarter_of_the_turns_is_kept_for_first_reads(int all, int reserve) => Assert.Equal(reserve, ClientReadSlots.Reserve(all));

    [Fact]
    public async Task Nine_addresses_holding_all_their_turns_leave_one_for_a_new_clients_first_read()
    {
        // PostgreSQL's defaults: 9 turns per client, 56 for all clients of the 74 read connections.
        var slots = Slots(perClient: 9, all: 56);
        var entering = new List<Task<ClientReadSlots.ReadTurn>>();
        for (var round = 0; round < 10; round++)
        {
            for (var client = 0; client < 9; client++)
            {
                entering.Add(slots.EnterAsync($"198.51.100.{client}", CancellationToken.None).AsTask());
            }
        }

        Assert.Equal(42, slots.RunningInAll);
        Assert.Equal(42, entering.Count(t => t.IsCompleted));
        using (var fresh = await NowAsync(slots.EnterAsync("192.0.2.1", CancellationToken.None)))
        {
            Assert.True(fresh.Granted);
            Assert.Equal(43, slots.RunningInAll);
        }

        foreach (var turn in await Task.WhenAll(entering))
        {
            turn.Dispose();
        }

        Assert.Equal(0, slots.RunningInAll);
    }

    [Fact]
    public async Task A_freed_turn_goes_to_a_client_running_no_read_before_one_running_some()
    {
        var slots = Slots(perClient: 3, all: 4, deadline: TimeSpan.FromMinutes(1));
        var a = new List<ClientReadSlots.ReadTurn>();
        for (var i = 0; i < 3; i++)
        {
            a.Add(await NowAsync(slots.EnterAsync("a", CancellationToken.None)));
        }

        using var b1 = await NowAsync(slots.EnterAsync("b", CancellationToken.None));
        Assert.True(a.All(t => t.Granted) && b1.Granted);

        var b2 = slots.EnterAsync("b", CancellationToken.None).AsTask();
        var c1 = slots.EnterAsync("c", CancellationToken.None).AsTask();
        a[0].Dispose();
        Assert.True((await c1).Granted);
        Assert.False(b2.IsCompleted);

        // Three running of four turns, one of which is kept for first reads: b's second read waits for one more.
        a[1].Dispose();
        Assert.False(b2.IsCompleted);
        a[2].Dispose();
        Assert.True((await b2).Granted);
        Assert.Equal(3, slots.RunningInAll);
    }

    [Fact]
    public async Task A_client_with_reads_running_cannot_take_the_turns_kept_for_first_reads()
    {
        var slots = Slots(perClient: 8, all: 8);
        var turns = Enumerable.Range(0, 7).Select(_ => slots.EnterAsync("a", CancellationToken.None).AsTask()).ToList();

        Assert.Equal(6, slots.RunningInAll);
        Assert.Equal(6, slots.Running("a"));
        Assert.False(turns[^1].IsCompleted);
        Assert.False((await turns[^1]).Granted);
        Assert.True((await NowAsync(slots.EnterAsync("b", CancellationToken.None))).Granted);
    }

    [Fact]
    public async Task The_addresses_of_one_ipv6_64_are_one_client()
    {
        var slots = Slots(perClient: 1, all: 8);
        using var first = await slots.EnterAsync(IpRanges.ClientKey("2001:db8:1:2::1"), CancellationToken.None);

        Assert.True(first.Granted);
        Assert.Equal(1, slots.Running("2001:db8:1:2:ffff::9"));
        Assert.False((await slots.EnterAsync(IpRanges.ClientKey("2001:db8:1:2::2"), CancellationToken.None)).Granted);
        Assert.True((await NowAsync(slots.EnterAsync(IpRanges.ClientKey("2001:db8:1:3::1"), CancellationToken.None))).Granted);
    }

    [Fact]
    public async Task A_read_that_gets_no_turn_by_the_deadline_is_refused_and_leaves_nothing_behind()
    {
        var slots = Slots(perClient: 1, all: 4);
        var first = await slots.EnterAsync("a", CancellationToken.None);
        var second = await slots.EnterAsync("a", CancellationToken.None);

        Assert.True(first.Granted);
        Assert.False(second.Granted);
        first.Dispose();
        Assert.Equal(0, slots.Running("a"));
        Assert.Equal(0, slots.RunningInAll);
        using var again = await slots.EnterAsync("a", CancellationToken.None);
        Assert.True(again.Granted);
    }

    [Fact]
    public async Task A_cancelled_wait_throws_and_leaves_nothing_behind()
    {
        var slots = Slots(perClient: 1, all: 4, deadline: TimeSpan.FromMinutes(1));
        using var first = await slots.EnterAsync("a", CancellationToken.None);
        using var abort = new CancellationTokenSource();
        var second = slots.EnterAsync("a", abort.Token).AsTask();
        await abort.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
        Assert.Equal(1, slots.RunningInAll);
    }

    /// <summary>A turn that was decided without waiting.</summary>
    private static async Task<ClientReadSlots.ReadTurn> NowAsync(ValueTask<ClientReadSlots.ReadTurn> entering)
    {
        Assert.True(entering.IsCompleted, "the read had to wait for a turn");
        return await entering;
    }

    private static ClientReadSlots Slots(int perClient, int all, TimeSpan? deadline = null) => new(Options.Create(new ApiOptions
    {
        MaxConcurrentReadsPerClient = perClient,
        MaxConcurrentClientReads = all,
        ReadTimeout = deadline ?? TimeSpan.FromMilliseconds(100),
    }));
}
