using Basalt.Errors;
using Basalt.Model;
using Basalt.Records;
using Microsoft.Extensions.Logging;

namespace Basalt.Files;

/// <summary>The file side of record writes (<see cref="IRecordFiles"/>) over the storage in use (<see cref="FileStorageProvider"/>).</summary>
internal sealed class RecordFileStore(FileStorageProvider storages, FileDeletions deletions, ILogger<RecordFileStore> logger) : IRecordFiles
{
    public const string UnstorableIdMessage = "The record id cannot name a storage folder (too long or with control characters).";

    public async Task SaveAsync(Collection collection, string recordId, IReadOnlyList<RecordUpload> uploads, CancellationToken cancellationToken)
    {
        if (uploads.Count == 0)
        {
            return;
        }

        // An id pattern a superuser loosened may allow ids no folder can be named after; refuse the upload, not crash.
        if (!FileKeys.IsSafeSegment(recordId))
        {
            throw ApiError.BadRequest(null, ValidationErrors.Of("id", "validation_invalid_value", UnstorableIdMessage));
        }

        var storage = await storages.GetAsync(cancellationToken);
        var saved = new List<string>();
        try
        {
            foreach (var upload in uploads)
            {
                var key = FileKeys.File(collection.Id, recordId, upload.StoredName);
                await using (var content = upload.Open())
                {
                    await storage.PutAsync(key, content, upload.ContentType, cancellationToken);
                }

                saved.Add(key);
            }
        }
        catch
        {
            foreach (var key in saved)
            {
                await DeleteKeyAsync(storage, key);
            }

            throw;
        }
    }

    public async Task DeleteAsync(IReadOnlyCollection<RecordFile> files, CancellationToken cancellationToken)
    {
        if (files.Count == 0)
        {
            return;
        }

        var storage = await storages.GetAsync(CancellationToken.None);
        foreach (var file in files)
        {
            if (!FileKeys.IsSafeSegment(file.Name) || !FileKeys.IsSafeSegment(file.RecordId))
            {
                continue;
            }

            await DeleteKeyAsync(storage, FileKeys.File(file.CollectionId, file.RecordId, file.Name));
            await DeletePrefixAsync(storage, FileKeys.Thumbs(file.CollectionId, file.RecordId, file.Name));
        }
    }

    public async Task DeleteCollectionAsync(string collectionId, CancellationToken cancellationToken)
    {
        if (FileKeys.IsSafeSegment(collectionId))
        {
            await DeletePrefixAsync(await storages.GetAsync(CancellationToken.None), FileKeys.Collection(collectionId));
        }
    }

    private async Task DeleteKeyAsync(IFileStorage storage, string key)
    {
        try
        {
            await deletions.DeleteAsync(storage, key, CancellationToken.None);
        }
        catch (Exception e)
        {
            Log.FileDeleteFailed(logger, e, key);
        }
    }

    private async Task DeletePrefixAsync(IFileStorage storage, string prefix)
    {
        try
        {
            await deletions.DeletePrefixAsync(storage, prefix, CancellationToken.None);
        }
        catch (Exception e)
        {
            Log.FileDeleteFailed(logger, e, prefix);
        }
    }
}
