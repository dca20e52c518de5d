using Basalt.Model;

namespace Basalt.Records;

/// <summary>
/// The file side of record writes, implemented by <c>Files/</c> over the file storage. <see cref="RecordService"/> saves
/// uploads before the write that references them and deletes files only after the commit that dropped their last
/// reference, so no committed record ever names a missing file.
/// </summary>
public interface IRecordFiles
{
    /// <summary>
    /// Stores every upload under <c>COLLECTION/RECORD/NAME</c>, durably, before the write that references it. All or
    /// nothing: on failure the uploads it already stored are removed and the error is rethrown.
    /// </summary>
    Task SaveAsync(Collection collection, string recordId, IReadOnlyList<RecordUpload> uploads, CancellationToken cancellationToken);

    /// <summary>Deletes files (and their thumbs) that no committed record references any more. Never throws: what it cannot delete the start-up sweep removes.</summary>
    Task DeleteAsync(IReadOnlyCollection<RecordFile> files, CancellationToken cancellationToken);

    /// <summary>Deletes every file of a collection whose deletion committed. Never throws.</summary>
    Task DeleteCollectionAsync(string collectionId, CancellationToken cancellationToken);
}
