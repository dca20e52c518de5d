using System.Text.Json.Nodes;
using Basalt.Errors;
using Basalt.Model;
using Basalt.Storage;

namespace Basalt.Collections;

/// <summary>Importing a whole set of collections in one write (<c>PUT /api/collections/import</c>).</summary>
public sealed partial class CollectionService
{
    public const string ImportFailed = "Failed to import collections.";

    /// <summary>
    /// Creates or updates every collection of <c>{collections, deleteMissing}</c> (matched by id, then by name) and, with
    /// deleteMissing, drops the non-system collections not listed; all validated together and written in one transaction.
    /// </summary>
    public async Task ImportAsync(JsonObject body, CancellationToken cancellationToken)
    {
        if (body["collections"] is not JsonArray items || items.Count == 0 || items.Any(i => i is not JsonObject))
        {
            throw ImportError("validation_required", "Must be a non-empty array of collection objects.");
        }

        var deleteMissing = body["deleteMissing"] is JsonValue dm && dm.TryGetValue<bool>(out var flag) && flag;
        await _schemaLock.WaitAsync(cancellationToken);
        try
        {
            var committed = cache.All;
            var plan = new List<(Collection? Previous, Collection Candidate)>();
            var matched = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in items.Cast<JsonObject>())
            {
                var previous = Match(item);
                if (previous is not null && !matched.Add(previous.Id))
                {
                    throw ImportError("validation_collections_import_failure", $"The collection \"{previous.Name}\" is listed more than once.");
                }

                plan.Add((previous, null!));
            }

            var removed = deleteMissing ? committed.Where(c => !c.System && !matched.Contains(c.Id)).ToList() : [];
            var removedIds = removed.Select(r => r.Id).ToList();
            var candidates = new List<Collection>();
            for (var i = 0; i < plan.Count; i++)
            {
                var item = (JsonObject)items[i]!;
                try
                {
                    var candidate = Prepare(item, plan[i].Previous, committed, ImportFailed, candidates, removedIds);
                    candidates.Add(candidate);
                    plan[i] = (plan[i].Previous, candidate);
                }
                catch (ApiError e)
                {
                    var name = item["name"] is JsonValue n && n.TryGetValue<string>(out var s) ? s : i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    throw ImportError("validation_collections_import_failure", $"Import validation failed for collection \"{name}\": {e.Data.ToJsonString()}");
                }
            }

            var final = new CollectionOverlay(committed, candidates, removedIds);
            foreach (var gone in removed)
            {
                if (DependencyOf(gone, final.All) is { } reason)
                {
                    throw ImportError("validation_collections_import_failure", $"The collection \"{gone.Name}\" can't be deleted: {reason}");
                }
            }

            // Views go last when created and first when dropped, so they never outlive or precede their tables.
            var ordered = plan.OrderBy(p => p.Candidate.IsView).ToList();
            IReadOnlyList<CollectionChange> changes =
                [.. removed.Select(CollectionChange.Deleted), .. plan.Select(p => p.Previous is null ? CollectionChange.Created(p.Candidate) : CollectionChange.Updated(p.Previous, p.Candidate))];
            await CommitJournaledAsync(
                changes,
                async (c, tx, ct) =>
                {
                    foreach (var gone in removed.OrderBy(r => !r.IsView))
                    {
                        await SystemTables.DeleteCollectionAsync(c, tx, gone.Id, ct);
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
                },
                ImportFailed,
                "collections",
                cancellationToken);
            await AfterCommitAsync(removed, ordered);
        }
        finally
        {
            _schemaLock.Release();
        }
    }

    private Collection? Match(JsonObject item)
    {
        if (item["id"] is JsonValue id && id.TryGetValue<string>(out var idText) && idText.Length > 0 &&
            cache.Find(idText) is { } byId && byId.Id == idText)
        {
            return byId;
        }

        return item["name"] is JsonValue name && name.TryGetValue<string>(out var nameText) && nameText.Length > 0 &&
            cache.Find(nameText) is { } byName && string.Equals(byName.Name, nameText, StringComparison.OrdinalIgnoreCase)
            ? byName
            : null;
    }

    private static ApiError ImportError(string code, string message) =>
        ApiError.BadRequest(ImportFailed, ValidationErrors.Of("collections", code, message));
}
