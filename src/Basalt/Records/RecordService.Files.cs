using System.Data.Common;
using Basalt.Model;
using Basalt.Records.Fields;

namespace Basalt.Records;

/// <summary>
/// The file side of record writes. The promise (docs/files.md): an upload is stored durably before the write that
/// references it commits, and a file is deleted only after the commit that dropped its last reference, so a crash at
/// any point leaves at worst an unreferenced file (swept at start-up), never a record naming a missing one.
/// </summary>
public sealed partial class RecordService
{
    /// <summary>The uploads the record's values ended up holding (a single-file field keeps only the last one, a modifier may drop others).</summary>
    private static List<RecordUpload> KeptUploads(Record record, RecordBody submitted)
    {
        if (submitted.Uploads.Count == 0)
        {
            return [];
        }

        var kept = new List<RecordUpload>();
        foreach (var field in record.Collection.Fields.Where(f => f.Type == FieldType.File))
        {
            foreach (var name in FieldValues.Items(record.Get(field.Name)))
            {
                if (submitted.Uploads.TryGetValue(name, out var upload))
                {
                    kept.Add(upload);
                }
            }
        }

        return kept;
    }

    /// <summary>
    /// Inside the update's write unit: reads the file names the row holds now (locked until the commit on PostgreSQL),
    /// drops from the new values any name that is neither stored now nor uploaded with this write (a concurrent write
    /// removed it, and its file may be gone), and returns the stored files the new values no longer hold.
    /// </summary>
    private async Task<List<RecordFile>> ReconcileFilesAsync(Record record, HashSet<string> changed, IReadOnlyList<RecordUpload> kept, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var fields = record.Collection.Fields.Where(f => f.Type == FieldType.File && changed.Contains(f.Name)).ToList();
        if (fields.Count == 0)
        {
            return [];
        }

        var stored = (await _store.FindManyForUpdateAsync(record.Collection, [record.Id], connection, transaction, cancellationToken)).FirstOrDefault();
        var uploaded = kept.Select(u => u.StoredName).ToHashSet(StringComparer.Ordinal);
        var dropped = new List<RecordFile>();
        foreach (var field in fields)
        {
            var current = stored is null ? [] : FieldValues.Items(stored.Get(field.Name));
            var values = FieldValues.Items(record.Get(field.Name));
            var allowed = values.Where(n => uploaded.Contains(n) || current.Contains(n)).ToList();
            if (allowed.Count != values.Count)
            {
                record.Set(field.Name, field.IsMultiple ? allowed : allowed.Count == 0 ? "" : allowed[^1]);
            }

            dropped.AddRange(current.Except(allowed, StringComparer.Ordinal).Select(n => new RecordFile(record.Collection.Id, record.Id, n)));
        }

        return dropped;
    }

    /// <summary>
    /// After a write that failed: deletes the uploads it stored unless the row references them after all (a commit
    /// whose outcome the database could not confirm). When even that read fails, they stay for the start-up sweep.
    /// </summary>
    private async Task DiscardUploadsAsync(Record record, IReadOnlyList<RecordUpload> kept)
    {
        if (kept.Count == 0)
        {
            return;
        }

        HashSet<string> referenced;
        try
        {
            var stored = await _database.ReadAsync(
                (connection, ct) => _store.FindByIdAsync(record.Collection, record.Id, connection, null, ct),
                CancellationToken.None);
            referenced = stored is null ? [] : RecordFile.Of(stored).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        }
        catch (Exception e) when (e is DbException or TimeoutException or Storage.ReadTimeoutException or InvalidOperationException)
        {
            return;
        }

        var orphans = kept.Where(u => !referenced.Contains(u.StoredName))
            .Select(u => new RecordFile(record.Collection.Id, record.Id, u.StoredName))
            .ToList();
        await _files.DeleteAsync(orphans, CancellationToken.None);
    }

    /// <summary>Deletes the files of a collection whose deletion committed.</summary>
    public Task DeleteCollectionFilesAsync(Collection collection) => _files.DeleteCollectionAsync(collection.Id, CancellationToken.None);
}
