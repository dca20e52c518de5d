namespace Basalt.Realtime;

/// <summary>
/// The change-log entries one subscription delivers: ids from <see cref="From"/> on, except those already committed
/// when it was made (<see cref="Skipped"/>, past an older id that was still open).
/// </summary>
public readonly struct LiveStart(long from, IdRuns? skipped = null)
{
    /// <summary>The first id delivered.</summary>
    public long From { get; } = from;

    /// <summary>Ids from <see cref="From"/> on that are not delivered (null: none).</summary>
    public IdRuns? Skipped { get; } = skipped;

    /// <summary>
    /// Delivery of what follows <paramref name="settled"/> except <paramref name="skipped"/>: a run of them right after
    /// it moves the start past it.
    /// </summary>
    public static LiveStart After(long settled, IdRuns skipped) =>
        new(skipped.NextOutside(settled), skipped.Count == 0 ? null : skipped);

    /// <summary>Whether entry <paramref name="id"/> is delivered.</summary>
    public bool Admits(long id) => id >= From && Skipped?.Contains(id) != true;
}
