using System.Data.Common;

namespace Basalt.Collections;

/// <summary>
/// Told of every schema change made through the collections API (create, update, delete, import) inside the write unit
/// that makes it, so a record of the change (a migration file) exists exactly when the change commits.
/// </summary>
public interface ICollectionChangeJournal
{
    /// <summary>
    /// Records <paramref name="changes"/> inside the unit; throwing refuses the whole change. Returns what to undo
    /// (a file written) if the unit then does not commit, or null when nothing was recorded.
    /// </summary>
    Task<Action?> RecordAsync(IReadOnlyList<CollectionChange> changes, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);
}
