using Basalt.Model;

namespace Basalt.Records;

/// <summary>
/// The file side of a batch: a sub-request's write returning means only that its savepoint was released, not that
/// anything committed, so deletions wait for the batch's commit and the uploads of a batch that fails are removed.
/// </summary>
internal sealed class BatchFiles(IRecordFiles files) : IRecordFiles
{
    private readonly List<RecordFile> _saved = [];
    private readonly List<RecordFile> _dropped = [];
    private readonly List<string> _droppedCollections = [];

    public async Task SaveAsync(Collection collection, string recordId, IReadOnlyList<RecordUpload> uploads, CancellationToken cancellationToken)
    {
        await files.SaveAsync(collection, recordId, uploads, cancellationToken);
        _saved.AddRange(uploads.Select(u => new RecordFile(collection.Id, recordId, u.StoredName)));
    }

    public Task DeleteAsync(IReadOnlyCollection<RecordFile> dropped, CancellationToken cancellationToken)
    {
        _dropped.AddRange(dropped);
        return Task.CompletedTask;
    }

    public Task DeleteCollectionAsync(string collectionId, CancellationToken cancellationToken)
    {
        _droppedCollections.Add(collectionId);
        return Task.CompletedTask;
    }

    /// <summary>Runs once the batch committed: the files its writes dropped go now.</summary>
    public async Task CommittedAsync()
    {
        await files.DeleteAsync(_dropped, CancellationToken.None);
        foreach (var collectionId in _droppedCollections)
        {
            await files.DeleteCollectionAsync(collectionId, CancellationToken.None);
        }
    }

    /// <summary>Runs when the batch rolled back: nothing references what it uploaded, and everything it dropped stays.</summary>
    public Task RolledBackAsync() => files.DeleteAsync(_saved, CancellationToken.None);
}
