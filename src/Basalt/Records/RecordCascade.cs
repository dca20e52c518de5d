using System.Data.Common;
using Basalt.Common;
using Basalt.Errors;
using Basalt.Model;
using Basalt.Records.Fields;
using Basalt.Storage.Tables;

namespace Basalt.Records;

/// <summary>
/// Deletes records with PocketBase's relation cascade (§4.5), inside the caller's write unit: the id is removed from every
/// relation pointing at it; a referencing record left empty is deleted when the field cascades, refuses the whole delete
/// when the field is required, and is otherwise saved without validation.
/// </summary>
internal sealed class RecordCascade(RecordStore store, AuthStateStore authState, ICollectionLookup collections, TimeProvider time)
{
    public const string RequiredReference = "Failed to delete record. Make sure that the record is not part of a required relation reference.";

    /// <summary>
    /// Deletes <paramref name="ids"/> of <paramref name="collection"/> and everything the cascade reaches, adding the
    /// files of every deleted record to <paramref name="removedFiles"/> for the caller to delete once this commits.
    /// </summary>
    public async Task DeleteAsync(Collection collection, IReadOnlyList<string> ids, ICollection<RecordFile> removedFiles, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var deleting = new HashSet<(string, string)>();
        foreach (var id in ids)
        {
            deleting.Add((collection.Id, id));
        }

        await CollectFilesAsync(collection, ids, removedFiles, connection, transaction, cancellationToken);
        await CascadeAsync(collection, ids, deleting, removedFiles, connection, transaction, cancellationToken);
        foreach (var id in ids)
        {
            await store.DeleteAsync(collection, id, connection, transaction, cancellationToken);
        }

        await DeleteAuthStateAsync(collection, ids, connection, transaction, cancellationToken);
    }

    /// <summary>
    /// Removes the MFA sessions, OTPs, external auths and auth origins of auth records that are going away: of
    /// <paramref name="ids"/>, or of the whole collection when null. They point at their record by collectionRef +
    /// recordRef text, not by a relation, so the relation cascade does not reach them.
    /// </summary>
    public Task DeleteAuthStateAsync(Collection collection, IReadOnlyList<string>? ids, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        collection.IsAuth ? authState.DeleteForRecordsAsync(collection, ids, connection, transaction, cancellationToken) : Task.CompletedTask;

    /// <summary>Reads (and on PostgreSQL locks) the file names of the rows about to go; nothing to read without file fields.</summary>
    private async Task CollectFilesAsync(Collection collection, IReadOnlyList<string> ids, ICollection<RecordFile> removedFiles, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        if (!collection.Fields.Any(f => f.Type == FieldType.File))
        {
            return;
        }

        foreach (var chunk in ids.Chunk(200))
        {
            foreach (var record in await store.FindManyForUpdateAsync(collection, chunk, connection, transaction, cancellationToken))
            {
                foreach (var file in RecordFile.Of(record))
                {
                    removedFiles.Add(file);
                }
            }
        }
    }

    private async Task CascadeAsync(Collection collection, IReadOnlyList<string> ids, HashSet<(string, string)> deleting, ICollection<RecordFile> removedFiles, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return;
        }

        foreach (var other in collections.All)
        {
            if (other.IsView)
            {
                continue;
            }

            foreach (var field in other.Fields)
            {
                if (field.Type != FieldType.Relation || field.CollectionId != collection.Id)
                {
                    continue;
                }

                await DetachAsync(other, field, ids, deleting, removedFiles, connection, transaction, cancellationToken);
            }
        }
    }

    private async Task DetachAsync(Collection other, Field field, IReadOnlyList<string> ids, HashSet<(string, string)> deleting, ICollection<RecordFile> removedFiles, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var idSet = ids.ToHashSet(StringComparer.Ordinal);
        var referencing = new List<Record>();
        foreach (var chunk in ids.Chunk(200))
        {
            referencing.AddRange(await store.FindReferencingAsync(other, field, chunk, connection, transaction, cancellationToken));
        }

        var toDelete = new List<string>();
        foreach (var record in referencing)
        {
            if (deleting.Contains((other.Id, record.Id)))
            {
                continue;
            }

            var items = FieldValues.Items(record.Get(field.Name));
            if (!items.Any(idSet.Contains))
            {
                continue;
            }

            var remaining = items.Where(i => !idSet.Contains(i)).ToList();
            if (remaining.Count == 0 && field.CascadeDelete)
            {
                deleting.Add((other.Id, record.Id));
                toDelete.Add(record.Id);
                foreach (var file in RecordFile.Of(record))
                {
                    removedFiles.Add(file);
                }

                continue;
            }

            if (remaining.Count == 0 && field.Required)
            {
                throw ApiError.BadRequest(RequiredReference);
            }

            record.Set(field.Name, field.IsMultiple ? remaining : "");
            var changed = new List<string> { field.Name };
            StampUpdated(record, changed);
            await store.UpdateAsync(record, changed, connection, transaction, cancellationToken);
        }

        if (toDelete.Count > 0)
        {
            await CascadeAsync(other, toDelete, deleting, removedFiles, connection, transaction, cancellationToken);
            foreach (var id in toDelete)
            {
                await store.DeleteAsync(other, id, connection, transaction, cancellationToken);
            }
        }
    }

    private void StampUpdated(Record record, List<string> changed)
    {
        var now = DateFormat.Format(time.GetUtcNow());
        foreach (var f in record.Collection.Fields)
        {
            if (f.Type == FieldType.Autodate && f.GetBool("onUpdate"))
            {
                record.Set(f.Name, now);
                changed.Add(f.Name);
            }
        }
    }
}
