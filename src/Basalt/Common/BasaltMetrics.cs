using System.Diagnostics.Metrics;

namespace Basalt.Common;

/// <summary>
/// The engine's own instruments (meter <c>Basalt</c>), recorded where the work happens; with metrics off nothing
/// listens and a measurement costs next to nothing. docs/observability.md lists them.
/// </summary>
public static class BasaltMetrics
{
    public const string MeterName = "Basalt";

    public static readonly Meter Meter = new(MeterName);

    public static readonly Histogram<int> GroupCommitWrites = Meter.CreateHistogram<int>(
        "basalt.db.group_commit.writes", "{write}", "Writes committed together by one group commit (one WAL flush): SQLite's writer, PostgreSQL's creates.");

    public static readonly Histogram<double> CommitDuration = Meter.CreateHistogram<double>(
        "basalt.db.group_commit.duration", "s", "Time of one group commit, from BEGIN to the durable COMMIT.");

    public static readonly Histogram<double> CommitSync = Meter.CreateHistogram<double>(
        "basalt.db.group_commit.sync", "s", "Time of the COMMIT alone of one SQLite group commit: the WAL fsync in durable mode.");

    public static readonly Histogram<double> ReaderWait = Meter.CreateHistogram<double>(
        "basalt.db.reader.wait", "s", "Time a SQLite read waited for a free reader connection.");

    public static readonly Histogram<double> ConnectionWait = Meter.CreateHistogram<double>(
        "basalt.db.connection.wait", "s", "Time a PostgreSQL read or write waited for a pooled connection (tag pool: read or write).");

    public static readonly Counter<long> RateLimitRefusals = Meter.CreateCounter<long>(
        "basalt.rate_limit.refusals", "{request}", "Requests refused with 429 by a rate limit.");
}
