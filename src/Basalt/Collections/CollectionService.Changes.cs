using Basalt.Model;
using Microsoft.Extensions.Logging;

namespace Basalt.Collections;

/// <summary>The log lines of committed schema changes, one per collection (events 7000–7004).</summary>
public sealed partial class CollectionService
{
    private void LogCreated(Collection collection) =>
        Log.CollectionCreated(logger, collection.Type, collection.Name, collection.Id, collection.IsView ? "view" : "table");

    /// <summary>Logs an update that changed anything but the <c>updated</c> time: the new name, and fields added or removed (matched by id).</summary>
    private void LogUpdated(Collection previous, Collection next)
    {
        if (!logger.IsEnabled(LogLevel.Information) || !Changed(previous, next))
        {
            return;
        }

        var before = previous.Fields.Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
        var after = next.Fields.Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
        var renamed = string.Equals(previous.Name, next.Name, StringComparison.Ordinal) ? "" : $" (was {previous.Name})";
        Log.CollectionUpdated(
            logger,
            next.Name,
            next.Id,
            renamed,
            string.Join(", ", next.Fields.Where(f => !before.Contains(f.Id)).Select(f => f.Name)),
            string.Join(", ", previous.Fields.Where(f => !after.Contains(f.Id)).Select(f => f.Name)));
    }

    private void LogDeleted(Collection collection) =>
        Log.CollectionDeleted(logger, collection.Name, collection.Id, collection.IsView ? "view" : "table");

    private static bool Changed(Collection previous, Collection next)
    {
        var before = CollectionJson.Write(previous, includeSecrets: true);
        var after = CollectionJson.Write(next, includeSecrets: true);
        before.Remove("updated");
        after.Remove("updated");
        return before.ToJsonString() != after.ToJsonString();
    }
}
