using Basalt.Common;
using Microsoft.Extensions.Logging;

namespace Basalt.Storage;

/// <summary>The log messages of the storage layer (both databases, and SQLite's group commit in <c>Sqlite/</c>).</summary>
internal static partial class Log
{
    [LoggerMessage(BasaltEventIds.StorageOpened, LogLevel.Information, "Opened the {Database} database {Location} (durability {Durability}, system tables at version {SchemaVersion})")]
    public static partial void StorageOpened(ILogger logger, string database, string location, string durability, int schemaVersion);

    [LoggerMessage(BasaltEventIds.SystemSchemaMigrated, LogLevel.Information, "Migrated the system tables of {Location} from version {FromVersion} to {ToVersion}")]
    public static partial void SystemSchemaMigrated(ILogger logger, string location, int fromVersion, int toVersion);

    [LoggerMessage(BasaltEventIds.StorageClosed, LogLevel.Information, "Closed the {Database} database {Location}")]
    public static partial void StorageClosed(ILogger logger, string database, string location);

    [LoggerMessage(BasaltEventIds.GroupCommitSlow, LogLevel.Warning, "A group commit of {Writes} writes took {CommitMilliseconds} ms to commit (over {ThresholdMilliseconds} ms); the disk is slow or busy, and every write of the group waited for it")]
    public static partial void GroupCommitSlow(ILogger logger, int writes, long commitMilliseconds, long thresholdMilliseconds);

    [LoggerMessage(BasaltEventIds.GroupCommitFailed, LogLevel.Error, "A group commit of {Writes} writes failed; none of them was stored and each caller got the error")]
    public static partial void GroupCommitFailed(ILogger logger, Exception exception, int writes);

    // Information when the group waited past its lock timeout (another transaction held an id or the count slots long),
    // Debug when a statement was refused (a taken id: the client's error, answered 400).
    [LoggerMessage(EventId = BasaltEventIds.CommitGroupRerunAlone, Message = "A commit group of {Writes} creates was refused by PostgreSQL ({SqlState}: {Reason}); each create runs again alone")]
    public static partial void CommitGroupRerunAlone(ILogger logger, LogLevel level, int writes, string sqlState, string reason);

    [LoggerMessage(BasaltEventIds.CommitGroupFailed, LogLevel.Error, "A commit group of {Writes} creates failed and each caller got the error; if the connection was lost during COMMIT, whether they were stored is not known")]
    public static partial void CommitGroupFailed(ILogger logger, Exception exception, int writes);

    [LoggerMessage(BasaltEventIds.SqlConsoleRan, LogLevel.Information, "Superuser {SuperuserId} ran an SQL console query: {Rows} rows in {DurationMilliseconds} ms")]
    public static partial void SqlConsoleRan(ILogger logger, string superuserId, int rows, long durationMilliseconds);

    [LoggerMessage(BasaltEventIds.SqlConsoleRefused, LogLevel.Debug, "An SQL console query of superuser {SuperuserId} was refused: {Reason}")]
    public static partial void SqlConsoleRefused(ILogger logger, string superuserId, string reason);
    [LoggerMessage(BasaltEventIds.ClusterListening, LogLevel.Information, "Node {NodeId} listens to the other nodes of the database")]
    public static partial void ClusterListening(ILogger logger, string nodeId);

    [LoggerMessage(BasaltEventIds.ClusterListenerLost, LogLevel.Warning, "Lost the connection that listens to the other nodes; re-opening it")]
    public static partial void ClusterListenerLost(ILogger logger, Exception exception);

    [LoggerMessage(BasaltEventIds.ClusterSignalFailed, LogLevel.Warning, "Could not signal a commit to the other nodes; they will find it by polling")]
    public static partial void ClusterSignalFailed(ILogger logger, Exception exception);

    [LoggerMessage(BasaltEventIds.ClusterHandlerFailed, LogLevel.Error, "Following a {Channel} signal from another node failed")]
    public static partial void ClusterHandlerFailed(ILogger logger, string channel, Exception exception);
}
