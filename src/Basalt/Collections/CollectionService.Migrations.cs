using System.Data.Common;
using System.Text.Json.Nodes;
using Basalt.Common;
using Basalt.Errors;
using Basalt.Model;
using Basalt.Storage;

namespace Basalt.Collections;

/// <summary>
/// What migrations need from the collections service: applying a list of <see cref="CollectionChange"/>s in one write
/// unit, the collections a fresh database starts with, how a snapshot reads back, and telling the
/// <see cref="ICollectionChangeJournal"/> of every change made through the API.
/// </summary>
public sealed partial class CollectionService
{
    public const string ApplyFailed = "Failed to apply the collection changes.";

    /// <summary>The snapshot of every collection, oldest first.</summary>
    public IReadOnlyList<JsonObject> Snapshots() => cache.All.Select(CollectionChange.Snapshot).ToList();

    /// <summary>The snapshots of the collections a new database starts with, made as start-up makes them.</summary>
    public IReadOnlyList<JsonObject> FreshDatabaseSnapshots()
    {
        var superusers = CollectionScaffolds.Superusers();
        var users = Prepare(CollectionJson.Write(CollectionScaffolds.Users(), includeSecrets: true), null, [superusers], CreateFailed);
        return [.. new[] { superusers, users }.Concat(AuthSystemCollectionScaffolds.All()).Select(CollectionChange.Snapshot)];
    }

    /// <summary>
    /// The snapshot that <paramref name="after"/> leaves once applied over <paramref name="before"/> (or, for a new
    /// collection, over the scaffold of its type), with every default filled in; <paramref name="after"/> itself when it
    /// does not read as a collection (applying it would then fail and say why).
    /// </summary>
    public static JsonObject Project(JsonObject? before, JsonObject after)
    {
        var start = before;
        if (start is null)
        {
            var type = after["type"] is JsonValue t && t.TryGetValue<string>(out var s) && CollectionType.IsKnown(s) ? s : CollectionType.Base;
            var name = after["name"] is JsonValue n && n.TryGetValue<string>(out var ns) ? ns : "";
            start = CollectionJson.Write(CollectionScaffolds.For(type, name));
        }

        var errors = new NestedErrors();
        var collection = CollectionJson.Read(JsonMerge.Merge(start, after), errors);
        return errors.IsEmpty ? CollectionChange.Snapshot(collection) : after;
    }

    /// <summary>
    /// Sets each collection of <paramref name="changes"/> to its <see cref="CollectionChange.After"/> snapshot (created
    /// when missing, updated over the stored one, which keeps its secrets) or deletes it (nothing to do when it is already
    /// gone), all validated together and written in one unit that first runs <paramref name="inUnit"/>. Any failure
    /// changes nothing and is an <see cref="ApiError"/> whose message names the collection.
    /// </summary>
    public async Task ApplyAsync(IReadOnlyList<CollectionChange> changes, Func<DbConnection, DbTransaction, CancellationToken, Task> inUnit, CancellationToken cancellationToken)
    {
        var duplicate = changes.GroupBy(c => c.CollectionId, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw ApiError.BadRequest($"The collection {duplicate.Key} is changed more than once; one change per collection.");
        }

        await _schemaLock.WaitAsync(cancellationToken);
        try
        {
            var committed = cache.All;
            var removed = new List<Collection>();
            foreach (var change in changes.Where(c => c.After is null))
            {
                if (committed.FirstOrDefault(c => c.Id == change.CollectionId) is not { } gone)
                {
                    continue;
                }

                if (gone.System)
                {
                    throw ChangeError(change, "System collections cannot be deleted.", null);
                }

                removed.Add(gone);
            }

            var removedIds = removed.Select(r => r.Id).ToList();
            var plan = new List<(Collection? Previous, Collection Candidate)>();
            var candidates = new List<Collection>();
            foreach (var change in changes)
            {
                if (change.After is not { } after)
                {
                    continue;
                }

                var body = (JsonObject)after.DeepClone();
                body["id"] = change.CollectionId;
                body.Remove("created");
                body.Remove("updated");
                var previous = committed.FirstOrDefault(c => c.Id == change.CollectionId);
                try
                {
                    var candidate = Prepare(body, previous, committed, ApplyFailed, candidates, removedIds, secretsOptional: true);
                    candidates.Add(candidate);
                    plan.Add((previous, candidate));
                }
                catch (ApiError e)
                {
                    throw ChangeError(change, e.Message, e.Data);
                }
            }

            var final = new CollectionOverlay(committed, candidates, removedIds);
            foreach (var gone in removed)
            {
                if (DependencyOf(gone, final.All) is { } reason)
                {
                    throw ChangeError(CollectionChange.Deleted(gone), DeleteFailed + " " + reason, null);
                }
            }

            var ordered = plan.OrderBy(p => p.Candidate.IsView).ToList();
            await WriteChangesAsync(inUnit, removed, ordered, cancellationToken);
            await AfterCommitAsync(removed, ordered);
        }
        finally
        {
            _schemaLock.Release();
        }
    }

    /// <summary>
    /// What follows the commit of several collection changes (an import or a migration): each change logged, and the
    /// stored files of dropped tables removed, only now that no committed row references them.
    /// </summary>
    private async Task AfterCommitAsync(List<Collection> removed, List<(Collection? Previous, Collection Candidate)> ordered)
    {
        removed.ForEach(LogDeleted);
        foreach (var (previous, candidate) in ordered)
        {
            if (previous is null)
            {
                LogCreated(candidate);
            }
            else
            {
                LogUpdated(previous, candidate);
            }
        }

        foreach (var gone in removed.Where(r => !r.IsView))
        {
            await records.DeleteCollectionFilesAsync(gone);
        }
    }

    /// <summary>The one unit of <see cref="ApplyAsync"/>: views dropped first and created last, so none outlives or precedes its tables.</summary>
    private async Task WriteChangesAsync(
        Func<DbConnection, DbTransaction, CancellationToken, Task> inUnit,
        List<Collection> removed,
        List<(Collection? Previous, Collection Candidate)> ordered,
        CancellationToken cancellationToken)
    {
        try
        {
            await database.WriteAsync(
                async (c, tx, ct) =>
                {
                    await inUnit(c, tx, ct);
                    foreach (var gone in removed.OrderBy(r => !r.IsView))
                    {
                        await SystemTables.DeleteCollectionAsync(c, tx, gone.Id, ct);
                        await records.DeleteAuthStateAsync(gone, c, tx, ct);
                        await migrator.DropAsync(c, tx, gone, ct);
                    }

                    foreach (var (previous, candidate) in ordered)
                    {
                        var row = CollectionRows.ToRow(candidate);
                        if (previous is null)
                        {
                            await SystemTables.InsertCollectionAsync(c, tx, database.Dialect, row, ct);
                            await migrator.CreateAsync(c, tx, candidate, ct);
                        }
                        else
                        {
                            await SystemTables.UpdateCollectionAsync(c, tx, database.Dialect, row, ct);
                            await migrator.UpdateAsync(c, tx, previous, candidate, ct);
                        }
                    }

                    return 0;
                },
                cancellationToken);
        }
        catch (DbException e)
        {
            // Unlike an API change, the database's own words are kept: the operator reading them can fix the migration.
            throw new ApiError(400, ApplyFailed + " " + DatabaseMessage(e), null, e);
        }
        finally
        {
            await LoadAsync(CancellationToken.None);
        }
    }

    /// <summary>Runs an API schema change's unit with the journal told of <paramref name="changes"/> inside it; what the journal wrote is undone when the unit fails.</summary>
    private async Task CommitJournaledAsync(
        IReadOnlyList<CollectionChange> changes,
        Func<DbConnection, DbTransaction, CancellationToken, Task> work,
        string failMessage,
        string? errorKey,
        CancellationToken cancellationToken)
    {
        Action? undo = null;
        try
        {
            await CommitAsync(
                async (c, tx, ct) =>
                {
                    await work(c, tx, ct);
                    undo = await journal.RecordAsync(changes, c, tx, ct);
                },
                failMessage,
                errorKey,
                cancellationToken);
        }
        catch (Exception)
        {
            undo?.Invoke();
            throw;
        }
    }

    private static ApiError ChangeError(CollectionChange change, string message, JsonObject? data) =>
        new(400, $"The collection \"{change.Name}\" ({change.CollectionId}): {message}", data);
}
