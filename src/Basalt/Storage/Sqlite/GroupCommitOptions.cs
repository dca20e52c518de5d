namespace Basalt.Storage.Sqlite;

/// <summary>How large and how long a group commit may grow before it commits.</summary>
public sealed record GroupCommitOptions
{
    /// <summary>Most units in one transaction; bounds the latency a unit adds to the others in its group.</summary>
    public int MaxGroupSize { get; init; } = 256;

    /// <summary>
    /// How long a running group keeps taking units that arrived after it started. The group never waits for
    /// arrivals: a lone write commits at once, and this only caps how long a busy stream can keep one group open.
    /// </summary>
    public TimeSpan MaxGroupWait { get; init; } = TimeSpan.FromMilliseconds(4);

    /// <summary>A COMMIT (the WAL fsync in durable mode) slower than this is logged as a warning (event 4003).</summary>
    public TimeSpan SlowCommit { get; init; } = TimeSpan.FromSeconds(1);
}
