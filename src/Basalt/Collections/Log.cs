using Basalt.Common;
using Microsoft.Extensions.Logging;

namespace Basalt.Collections;

/// <summary>The log messages of schema changes: a collection and its table created, changed, emptied or dropped.</summary>
internal static partial class Log
{
    [LoggerMessage(BasaltEventIds.CollectionCreated, LogLevel.Information, "Created the {Type} collection {Name} ({CollectionId}) and its {TableOrView}")]
    public static partial void CollectionCreated(ILogger logger, string type, string name, string collectionId, string tableOrView);

    [LoggerMessage(BasaltEventIds.CollectionUpdated, LogLevel.Information, "Updated the collection {Name} ({CollectionId}){Renamed}; fields added: [{FieldsAdded}], removed: [{FieldsRemoved}]")]
    public static partial void CollectionUpdated(ILogger logger, string name, string collectionId, string renamed, string fieldsAdded, string fieldsRemoved);

    [LoggerMessage(BasaltEventIds.CollectionDeleted, LogLevel.Information, "Deleted the collection {Name} ({CollectionId}) and dropped its {TableOrView}")]
    public static partial void CollectionDeleted(ILogger logger, string name, string collectionId, string tableOrView);

    [LoggerMessage(BasaltEventIds.CollectionTruncated, LogLevel.Information, "Deleted every record of the collection {Name} ({CollectionId})")]
    public static partial void CollectionTruncated(ILogger logger, string name, string collectionId);

    [LoggerMessage(BasaltEventIds.SystemCollectionsCreated, LogLevel.Information, "Created the system collections and their tables: {Names}")]
    public static partial void SystemCollectionsCreated(ILogger logger, string names);

    [LoggerMessage(BasaltEventIds.ClusterCacheReloaded, LogLevel.Debug, "Reloaded the {Cache} cache: another node changed it")]
    public static partial void ClusterCacheReloaded(ILogger logger, string cache);

    [LoggerMessage(BasaltEventIds.ClusterCacheReloadFailed, LogLevel.Warning, "Could not reload the {Cache} cache after another node changed it; retrying at the next signal")]
    public static partial void ClusterCacheReloadFailed(ILogger logger, string cache, Exception exception);
}
