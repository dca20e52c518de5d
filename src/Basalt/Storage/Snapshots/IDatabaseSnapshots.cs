using System.Data.Common;

namespace Basalt.Storage.Snapshots;

/// <summary>
/// Consistent copies of the whole database and their restore: the one place that knows how each database takes a
/// snapshot while writes go on (SQLite: a page copy under one read transaction; PostgreSQL: a repeatable-read export of
/// Basalt's tables) and how it puts one back atomically. <see cref="DatabaseSnapshots.For"/> gives the one of a database.
/// </summary>
public interface IDatabaseSnapshots
{
    /// <summary><c>sqlite</c> or <c>postgres</c>: a snapshot restores only into the kind that made it.</summary>
    string Kind { get; }

    /// <summary>
    /// Writes a snapshot of every Basalt table (the request logs excepted) as parts into <paramref name="sink"/>, then runs
    /// <paramref name="inspect"/> on a connection that sees exactly that snapshot, and returns its system schema version.
    /// Writes go on meanwhile; <paramref name="progress"/> gets the fraction of the database copied so far.
    /// </summary>
    Task<int> CreateAsync(ISnapshotSink sink, SnapshotInspector inspect, IProgress<double>? progress, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the whole database with the snapshot in <paramref name="source"/>, atomically: every check comes first,
    /// and a failure at any point leaves the current data as it was. Throws <see cref="SnapshotRefusedException"/> when
    /// the parts are not a snapshot this database can restore. <paramref name="check"/> runs on the restored data before
    /// it replaces the current data (a refusal it throws leaves the current data as it was). The change log restarts
    /// empty, marked pruned past every id given out before or in the snapshot, so a realtime client resuming from any
    /// earlier id is told to reload, and no entry of the snapshot's past is sent as a live event.
    /// </summary>
    Task RestoreAsync(ISnapshotSource source, SnapshotInspector check, CancellationToken cancellationToken);
}

/// <summary>Reads what a snapshot holds through a connection (and transaction) that sees exactly it.</summary>
public delegate Task SnapshotInspector(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken);
