using System.Runtime.CompilerServices;
using Basalt.Model;
using Basalt.Records;
using Basalt.Storage.Tables;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Basalt.Files;

/// <summary>
/// Removes stored files no record references: uploads whose write never committed and files whose delete was
/// interrupted after the commit (a crash between the two), plus temporary uploads cut short. It runs once in the
/// background at start-up, over the storage in use, and touches only files older than a cut-off, so an upload in flight
/// (stored, its write not yet committed) is never taken: on SQLite with the local folder the cut-off is the start of
/// this process, which alone writes to that folder; on PostgreSQL, where other nodes may share the storage, and on S3,
/// whose clock is not this process's, it is an hour before the start. In a bucket (which other applications may use
/// too) only the prefixes of known collections are looked at.
/// </summary>
public sealed class FileSweeper(FileStorageProvider storages, FileDeletions deletions, ICollectionLookup collections, RecordStore store, TimeProvider time, ILogger<FileSweeper> logger) : BackgroundService
{
    /// <summary>How old a file must be before a sweep on a shared database may remove it.</summary>
    public static readonly TimeSpan SharedStorageGrace = TimeSpan.FromHours(1);

    private readonly DateTimeOffset _started = time.GetUtcNow();

    /// <summary>
    /// Removes every unreferenced file last modified before <paramref name="cutoff"/>; returns how many it removed.
    /// Files of collections that no longer exist go too from the local folder (not from a shared bucket, where they are
    /// never looked at); keys of any other shape are left alone.
    /// </summary>
    public async Task<int> SweepAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var storage = await storages.GetAsync(cancellationToken);
        var byRecord = new Dictionary<(string Collection, string Record), List<(StoredFile File, string Name)>>();
        var removed = 0;
        var seen = 0;
        await foreach (var file in ListAsync(storage, cancellationToken))
        {
            seen++;
            if (file.LastModified >= cutoff)
            {
                continue;
            }

            var parts = file.Key.Split('/');
            if (parts[^1].StartsWith(FileKeys.TemporaryPrefix, StringComparison.Ordinal))
            {
                removed += await RemoveAsync(storage, file.Key, cancellationToken);
                continue;
            }

            // COLLECTION/RECORD/NAME, or a thumb COLLECTION/RECORD/thumbs_NAME/SIZE_NAME that belongs to NAME.
            var owner = parts.Length switch
            {
                3 => parts[2],
                4 when parts[2].StartsWith("thumbs_", StringComparison.Ordinal) => parts[2]["thumbs_".Length..],
                _ => null,
            };
            if (owner is not null && parts.Take(3).All(FileKeys.IsSafeSegment))
            {
                var key = (parts[0], parts[1]);
                if (!byRecord.TryGetValue(key, out var list))
                {
                    byRecord[key] = list = [];
                }

                list.Add((file, owner));
            }
        }

        foreach (var group in byRecord.GroupBy(p => p.Key.Collection))
        {
            var collection = collections.Find(group.Key);
            var referenced = collection is { IsView: false } && string.Equals(collection.Id, group.Key, StringComparison.Ordinal)
                ? await ReferencedAsync(collection, group.Select(p => p.Key.Record).ToList(), cancellationToken)
                : [];
            foreach (var ((_, recordId), files) in group)
            {
                foreach (var (file, name) in files)
                {
                    if (!referenced.Contains((recordId, name)))
                    {
                        removed += await RemoveAsync(storage, file.Key, cancellationToken);
                    }
                }
            }
        }

        Log.FileSweepFinished(logger, seen, removed);
        return removed;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var shared = (await storages.GetAsync(stoppingToken)).IsShared || store.Database.Dialect.Name != "sqlite";
            await SweepAsync(shared ? _started - SharedStorageGrace : _started, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the next start sweeps again.
        }
        catch (Exception e)
        {
            Log.FileSweepFailed(logger, e);
        }
    }

    /// <summary>The (record id, file name) pairs the stored rows of <paramref name="ids"/> reference.</summary>
    private async Task<HashSet<(string, string)>> ReferencedAsync(Collection collection, List<string> ids, CancellationToken cancellationToken)
    {
        var referenced = new HashSet<(string, string)>();
        if (!collection.Fields.Any(f => f.Type == FieldType.File))
        {
            return referenced;
        }

        foreach (var chunk in ids.Chunk(200))
        {
            var rows = await store.Database.ReadAsync((c, ct) => store.FindManyAsync(collection, chunk, null, c, null, ct), cancellationToken);
            foreach (var file in rows.SelectMany(RecordFile.Of))
            {
                referenced.Add((file.RecordId, file.Name));
            }
        }

        return referenced;
    }

    /// <summary>Everything in the local folder; in a shared bucket, only what lies under a known table collection.</summary>
    private async IAsyncEnumerable<StoredFile> ListAsync(IFileStorage storage, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var prefixes = storage.IsShared
            ? collections.All.Where(c => !c.IsView && FileKeys.IsSafeSegment(c.Id)).Select(c => FileKeys.Collection(c.Id)).ToList()
            : [""];
        foreach (var prefix in prefixes)
        {
            await foreach (var file in storage.ListAsync(prefix, cancellationToken))
            {
                yield return file;
            }
        }
    }

    private async Task<int> RemoveAsync(IFileStorage storage, string key, CancellationToken cancellationToken)
    {
        await deletions.DeleteAsync(storage, key, cancellationToken);
        Log.FileSweepRemoved(logger, key);
        return 1;
    }
}
