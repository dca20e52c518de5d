using Basalt.Storage.Postgres;

namespace Basalt.Tests.Storage;

/// <summary>
/// The first count slot each of a node's open write transactions tries: its own while there are enough, the lowest
/// free one, given back when the transaction ends. No database: which slot a count lands on is in RowCountTests.
/// </summary>
public sealed class PostgresCountSlotsTests
{
    [Fact]
    public void Open_transactions_get_the_lowest_slots_no_other_has_and_none_once_all_are_taken()
    {
        var slots = new PostgresCountSlots(4);
        Assert.Equal([0, 1, 2, 3, -1], Enumerable.Range(0, 5).Select(_ => slots.Take()));

        slots.Release(2);
        slots.Release(0);
        slots.Release(-1);
        Assert.Equal([0, 2, -1], Enumerable.Range(0, 3).Select(_ => slots.Take()));
    }

    [Fact]
    public async Task Concurrent_transactions_never_get_the_same_slot()
    {
        var slots = new PostgresCountSlots(64);
        var holders = new int[64];
        var start = new Barrier(4);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < 20_000; i++)
            {
                var slot = slots.Take();
                Assert.InRange(slot, 0, 63);
                Assert.Equal(1, Interlocked.Increment(ref holders[slot]));
                Interlocked.Decrement(ref holders[slot]);
                slots.Release(slot);
            }
        })));

        Assert.Equal(0, slots.Take());
    }
}
