using System.Data.Common;
using System.Text.Json.Nodes;
using Basalt.Common;
using Basalt.Errors;
using Basalt.Model;
using Basalt.Query;
using Basalt.Records;
using Basalt.Storage;
using Basalt.Storage.Cluster;
using Microsoft.Extensions.Logging;

namespace Basalt.Collections;

/// <summary>
/// Manages collections: list, view, create, update, delete, truncate, import and view dry-runs. Every schema change is
/// validated first, then written in one <see cref="IDatabase.WriteAsync{T}"/> (the <c>_collections</c> row and the table
/// migration together), and only after it commits is the cache swapped.
/// </summary>
public sealed partial class CollectionService(
    IDatabase database,
    SchemaMigrator migrator,
    CollectionCache cache,
    CollectionValidator validator,
    RecordQueryCompiler compiler,
    RecordService records,
    ICollectionChangeJournal journal,
    TimeProvider time,
    ILogger<CollectionService> logger) : IDisposable
{
    public const string CreateFailed = "Failed to create collection.";
    public const string UpdateFailed = "Failed to update collection.";
    public const string DeleteFailed = "Failed to delete collection due to existing dependency.";

    /// <summary>Schema writes are serialised so each one is validated against the state the previous one left.</summary>
    private readonly SemaphoreSlim _schemaLock = new(1, 1);
    private readonly SemaphoreSlim _reloadLock = new(1, 1);

    /// <summary>The rows the cache was last loaded from, as one string: what a resync compares against.</summary>
    private volatile string? _loaded;

    /// <summary>The collection by id or name (case-insensitive); 404 when missing.</summary>
    public Collection Get(string idOrName) => cache.Find(idOrName) ?? throw ApiError.NotFound();

    /// <summary>Reloads the cache from <c>_collections</c>.</summary>
    public Task LoadAsync(CancellationToken cancellationToken) => ReloadAsync(onlyIfChanged: false, cancellationToken);

    /// <summary>
    /// Reloads the cache when <c>_collections</c> differs from what it holds (another node changed a collection); true
    /// when it did. Comparing first keeps the periodic resync from swapping the cache, and with it every compiled rule
    /// and OpenAPI document keyed by its collections, when nothing changed.
    /// </summary>
    public Task<bool> ReloadIfChangedAsync(CancellationToken cancellationToken) => ReloadAsync(onlyIfChanged: true, cancellationToken);

    private async Task<bool> ReloadAsync(bool onlyIfChanged, CancellationToken cancellationToken)
    {
        // One reload at a time: a reload that read before a schema write committed must not swap in after it.
        await _reloadLock.WaitAsync(cancellationToken);
        try
        {
            return await ReloadLockedAsync(onlyIfChanged, cancellationToken);
        }
        finally
        {
            _reloadLock.Release();
        }
    }

    private async Task<bool> ReloadLockedAsync(bool onlyIfChanged, CancellationToken cancellationToken)
    {
        var rows = await database.ReadAsync((c, ct) => SystemTables.LoadCollectionsAsync(c, null, ct), cancellationToken);
        var fingerprint = string.Join('\u0001', rows.Select(r => string.Join('\u0002', r.Id, r.System, r.Type, r.Name, r.Fields, r.Indexes,
            r.ListRule, r.ViewRule, r.CreateRule, r.UpdateRule, r.DeleteRule, r.ViewQuery, r.Options, r.Created, r.Updated)));
        if (onlyIfChanged && string.Equals(fingerprint, _loaded, StringComparison.Ordinal))
        {
            return false;
        }

        _loaded = fingerprint;
        cache.Replace(rows.Select(CollectionRows.FromRow).ToList());
        return true;
    }

    /// <summary>
    /// Creates the system collections that are missing: <c>_superusers</c> in a new database, together with the default
    /// <c>users</c> collection, and the auth-flow collections (<c>_mfas</c>, <c>_otps</c>, <c>_externalAuths</c>,
    /// <c>_authOrigins</c>) in any database that predates them. <c>_superusers</c> cannot be deleted, so seeding
    /// <c>users</c> in the same write means a later start never re-creates a <c>users</c> collection a superuser removed.
    /// </summary>
    public async Task EnsureSystemCollectionsAsync(CancellationToken cancellationToken)
    {
        await _schemaLock.WaitAsync(cancellationToken);
        try
        {
            await LoadAsync(cancellationToken);
            var seeded = new List<Collection>();
            var now = time.GetUtcNow();
            if (cache.Find(SystemCollections.Superusers) is null)
            {
                var superusers = CollectionScaffolds.Superusers();
                superusers.Created = superusers.Updated = DateFormat.Format(now);
                seeded.Add(superusers);
                if (cache.Find(SystemCollections.Users) is null && cache.Find(SystemCollections.UsersId) is null)
                {
                    var users = Prepare(CollectionJson.Write(CollectionScaffolds.Users(), includeSecrets: true), null, [.. cache.All, superusers], CreateFailed);

                    // Later by a millisecond each, so the list order (created, then id) keeps PocketBase's order.
                    users.Created = users.Updated = DateFormat.Format(now.AddMilliseconds(1));
                    seeded.Add(users);
                }
            }

            foreach (var system in AuthSystemCollectionScaffolds.All().Where(c => cache.Find(c.Name) is null))
            {
                system.Created = system.Updated = DateFormat.Format(now.AddMilliseconds(1 + seeded.Count));
                seeded.Add(system);
            }

            if (seeded.Count == 0)
            {
                return;
            }

            await CommitAsync(
                async (c, tx, ct) =>
                {
                    foreach (var collection in seeded)
                    {
                        await SystemTables.InsertCollectionAsync(c, tx, database.Dialect, CollectionRows.ToRow(collection), ct);
                        await migrator.CreateAsync(c, tx, collection, ct);
                    }
                },
                CreateFailed,
                null,
                cancellationToken);
            Log.SystemCollectionsCreated(logger, string.Join(", ", seeded.Select(c => c.Name)));
        }
        finally
        {
            _schemaLock.Release();
        }
    }

    /// <summary>Creates a collection from its wire JSON: the type's scaffold with the body merged on top.</summary>
    public async Task<Collection> CreateAsync(JsonObject body, CancellationToken cancellationToken)
    {
        await _schemaLock.WaitAsync(cancellationToken);
        try
        {
            var candidate = Prepare(body, null, cache.All, CreateFailed);
            await CommitJournaledAsync(
                [CollectionChange.Created(candidate)],
                async (c, tx, ct) =>
                {
                    await SystemTables.InsertCollectionAsync(c, tx, database.Dialect, CollectionRows.ToRow(candidate), ct);
                    await migrator.CreateAsync(c, tx, candidate, ct);
                },
                CreateFailed,
                candidate.IsView ? "viewQuery" : null,
                cancellationToken);
            LogCreated(candidate);
            return Get(candidate.Id);
        }
        finally
        {
            _schemaLock.Release();
        }
    }

    /// <summary>Merges a partial collection JSON onto the stored one (<c>fields</c> replaces the whole list) and migrates the table.</summary>
    public async Task<Collection> UpdateAsync(string idOrName, JsonObject body, CancellationToken cancellationToken)
    {
        await _schemaLock.WaitAsync(cancellationToken);
        try
        {
            var previous = Get(idOrName);
            var candidate = Prepare(body, previous, cache.All, UpdateFailed);
            await CommitJournaledAsync(
                [CollectionChange.Updated(previous, candidate)],
                async (c, tx, ct) =>
                {
                    await SystemTables.UpdateCollectionAsync(c, tx, database.Dialect, CollectionRows.ToRow(candidate), ct);
                    await migrator.UpdateAsync(c, tx, previous, candidate, ct);
                },
                UpdateFailed,
                candidate.IsView ? "viewQuery" : null,
                cancellationToken);
            LogUpdated(previous, candidate);
            return Get(candidate.Id);
        }
        finally
        {
            _schemaLock.Release();
        }
    }

    /// <summary>Deletes a collection and its table; refused for system collections and for collections others depend on.</summary>
    public async Task DeleteAsync(string idOrName, CancellationToken cancellationToken)
    {
        await _schemaLock.WaitAsync(cancellationToken);
        try
        {
            var collection = Get(idOrName);
            if (collection.System)
            {
                throw ApiError.BadRequest("System collections cannot be deleted.");
            }

            if (DependencyOf(collection, cache.All) is { } reason)
            {
                throw ApiError.BadRequest(DeleteFailed + " " + reason);
            }

            await CommitJournaledAsync(
                [CollectionChange.Deleted(collection)],
                async (c, tx, ct) =>
                {
                    await SystemTables.DeleteCollectionAsync(c, tx, collection.Id, ct);
                    await records.DeleteAuthStateAsync(collection, c, tx, ct);
                    await migrator.DropAsync(c, tx, collection, ct);
                },
                "Failed to delete collection.",
                null,
                cancellationToken);
            LogDeleted(collection);
            if (!collection.IsView)
            {
                await records.DeleteCollectionFilesAsync(collection);
            }
        }
        finally
        {
            _schemaLock.Release();
        }
    }

    /// <summary>Deletes every record of a base or auth collection, with the relation cascade.</summary>
    public async Task TruncateAsync(string idOrName, CancellationToken cancellationToken)
    {
        var collection = Get(idOrName);
        if (collection.IsView)
        {
            throw ApiError.BadRequest("View collections cannot be truncated.");
        }

        await records.TruncateAsync(collection, cancellationToken);
        Log.CollectionTruncated(logger, collection.Name, collection.Id);
    }

    /// <summary>The <c>meta/scaffolds</c> answer.</summary>
    public static JsonObject Scaffolds() => CollectionScaffolds.ToJson();

    /// <summary>Why <paramref name="collection"/> can't go: a relation field of another collection, or a view reading it; null if free.</summary>
    private static string? DependencyOf(Collection collection, IEnumerable<Collection> all)
    {
        foreach (var other in all.Where(o => o.Id != collection.Id))
        {
            if (other.Fields.Any(f => f.Type == FieldType.Relation && f.CollectionId == collection.Id))
            {
                return $"The collection is referenced by a relation field of \"{other.Name}\".";
            }

            if (other.IsView && ViewQuery.ReferencedTables(other.ViewQuery ?? "").Any(t => string.Equals(t, collection.Name, StringComparison.OrdinalIgnoreCase)))
            {
                return $"The view collection \"{other.Name}\" depends on it.";
            }
        }

        return null;
    }

    /// <summary>Builds the validated candidate: scaffold or stored JSON, body merged on top, strict read, then <see cref="CollectionValidator"/>.</summary>
    private Collection Prepare(JsonObject body, Collection? previous, IEnumerable<Collection> committed, string failMessage, IEnumerable<Collection>? pending = null, IEnumerable<string>? removedIds = null, bool secretsOptional = false)
    {
        var errors = new NestedErrors();
        JsonObject start;
        if (previous is null)
        {
            var type = body["type"] is JsonValue t && t.TryGetValue<string>(out var s) && CollectionType.IsKnown(s) ? s : CollectionType.Base;
            var name = body["name"] is JsonValue n && n.TryGetValue<string>(out var ns) ? ns : "";
            start = CollectionJson.Write(CollectionScaffolds.For(type, name), includeSecrets: true);
        }
        else
        {
            start = CollectionJson.Write(previous, includeSecrets: true);
        }

        var candidate = CollectionJson.Read(JsonMerge.Merge(start, body), errors);
        var removed = removedIds?.ToHashSet(StringComparer.Ordinal) ?? [];
        if (previous is null && candidate.Id.Length > 0 && committed.Any(c => !removed.Contains(c.Id) &&
            (string.Equals(c.Id, candidate.Id, StringComparison.OrdinalIgnoreCase) || string.Equals(c.Name, candidate.Id, StringComparison.OrdinalIgnoreCase))))
        {
            errors.Add("id", "validation_collection_id_exists", "The collection id is already in use.");
        }

        errors.ThrowIfAny(failMessage);
        var overlay = new CollectionOverlay(committed, [.. pending ?? [], candidate], removedIds);
        validator.Check(candidate, previous, overlay, errors, secretsOptional);
        errors.ThrowIfAny(failMessage);
        var now = Now();
        candidate.Created = previous?.Created ?? now;
        candidate.Updated = now;
        return candidate;
    }

    /// <summary>Runs one schema write and swaps the cache after it commits; database errors become a 400 with <paramref name="failMessage"/>.</summary>
    private async Task CommitAsync(Func<DbConnection, DbTransaction, CancellationToken, Task> work, string failMessage, string? errorKey, CancellationToken cancellationToken)
    {
        var committed = false;
        try
        {
            await database.WriteAsync(
                async (c, tx, ct) =>
                {
                    await work(c, tx, ct);
                    return 0;
                },
                cancellationToken);
            committed = true;
        }
        catch (ApiError e) when (e.Status == 400)
        {
            throw ApiError.BadRequest(failMessage, e.Data);
        }
        catch (DbException e)
        {
            var data = errorKey is null ? null : ValidationErrors.Of(errorKey, "validation_invalid_value", DatabaseMessage(e));
            throw new ApiError(400, failMessage, data, e);
        }
        finally
        {
            await LoadAsync(CancellationToken.None);
        }

        if (committed)
        {
            // Before the answer: a client that goes on to another node finds the change there (see ClusterCacheFollower).
            await database.Cluster.SendAsync(ClusterChannel.Caches, ClusterCaches.Collections, CancellationToken.None);
        }
    }

    private static string DatabaseMessage(DbException e) => "The database rejected it: " + e.Message.Split('\n')[0].Trim();

    public void Dispose()
    {
        _schemaLock.Dispose();
        _reloadLock.Dispose();
    }

    private string Now() => DateFormat.Format(time.GetUtcNow());
}
