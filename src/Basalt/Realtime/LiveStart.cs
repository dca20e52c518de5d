namespace Basalt.Realtime;

/// <summary>
/// The change-log entries a subscription delivers: those from <see cref="From"/> on, except <see cref="Skipped"/>
/// (sorted), entries above an id still open that had committed when the subscription was made.
/// </summary>
public readonly record struct LiveStart(long From, long[] Skipped)
{
    /// <summary>Whether entry <paramref name="id"/> is delivered.</summary>
    public bool Admits(long id) => id >= From && (Skipped.Length == 0 || Array.BinarySearch(Skipped, id) < 0);
}
