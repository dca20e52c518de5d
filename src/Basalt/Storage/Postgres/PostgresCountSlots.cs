using System.Numerics;

namespace Basalt.Storage.Postgres;

/// <summary>
/// The count slot each of this process's write transactions tries first: the lowest one no other of them is trying,
/// so this node's writers each start on a slot of their own.
/// </summary>
/// <remarks>
/// Every writer starting at slot 0 made each one step over the slots the others held until their commits, and a
/// skipped row is a lock attempt: at 24 concurrent creates the count statement cost 0.15 ms of PostgreSQL's time
/// against 0.03 ms when it starts at a slot of its own (pgbench, one collection). The choice is only where the
/// <c>SKIP LOCKED</c> scan starts: another node's writers, or this node's writers beyond the slots, still find a
/// free slot by skipping, and no count depends on which slot a unit adds to.
/// </remarks>
internal sealed class PostgresCountSlots
{
    private readonly ulong _all;
    private ulong _taken;

    public PostgresCountSlots(int slots)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slots);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(slots, 64);
        _all = slots == 64 ? ulong.MaxValue : (1UL << slots) - 1;
    }

    /// <summary>The lowest slot no open transaction of this process tries first, now its own; -1 when all are.</summary>
    public int Take()
    {
        while (true)
        {
            var taken = Interlocked.Read(ref _taken);
            var free = ~taken & _all;
            if (free == 0)
            {
                return -1;
            }

            var slot = BitOperations.TrailingZeroCount(free);
            if (Interlocked.CompareExchange(ref _taken, taken | (1UL << slot), taken) == taken)
            {
                return slot;
            }
        }
    }

    /// <summary>Gives back what <see cref="Take"/> returned, once the transaction that took it has ended.</summary>
    public void Release(int slot)
    {
        if (slot >= 0)
        {
            Interlocked.And(ref _taken, ~(1UL << slot));
        }
    }
}
