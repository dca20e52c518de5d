using System.Text.Json.Nodes;
using Basalt.Collections;
using Basalt.Storage.Tables;

namespace Basalt.Migrations;

/// <summary><c>basalt migrate create NAME</c>: a migration of the collection changes since the folder's last one.</summary>
public sealed partial class MigrationService
{
    /// <summary>
    /// Writes <c>TIMESTAMP_NAME.json</c> with every difference between this database's collections and the ones the
    /// folder's migrations lead to from a fresh database, and records it as applied here (this database already has
    /// those changes). Returns the file's path, or null when there is no difference. Refused while a migration of the
    /// folder is not applied here, or one applied here is not in the folder: the difference would then undo it.
    /// </summary>
    public async Task<(string Path, MigrationFile File)?> CreateAsync(string name, CancellationToken cancellationToken)
    {
        MigrationFolder.CheckName(name);
        var states = await StatusAsync(cancellationToken);
        if (states.Where(s => s.State is MigrationStateKind.Pending or MigrationStateKind.Missing).Select(s => s.File).ToList() is { Count: > 0 } unsettled)
        {
            throw new MigrationException(
                $"Not every migration of {Folder} is applied here, or an applied one is missing ({string.Join(", ", unsettled)}): " +
                "run basalt migrate up (or put the missing files back) before creating a new one.");
        }

        var changes = Difference(Project(await _folder.ReadAllAsync(cancellationToken)), collections.Snapshots());
        if (changes.Count == 0)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var fileName = _folder.NextFileName(name, now);
        var content = MigrationFile.Write(Common.DateFormat.Format(now), changes);
        var path = _folder.Write(fileName, content);
        try
        {
            await database.WriteAsync(
                async (c, tx, ct) =>
                {
                    await AppliedMigrationTable.InsertAsync(c, tx, new AppliedMigration(fileName, MigrationFile.Sha256(content), Now()), ct);
                    return 0;
                },
                cancellationToken);
        }
        catch (Exception)
        {
            _folder.Delete(fileName);
            throw;
        }

        return (path, MigrationFile.Parse(fileName, content));
    }

    /// <summary>The collections a fresh database has once <paramref name="files"/> are applied to it, by id, in the order they appeared.</summary>
    private OrderedDictionary<string, JsonObject> Project(IReadOnlyList<MigrationFile> files)
    {
        var state = new OrderedDictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var snapshot in collections.FreshDatabaseSnapshots())
        {
            state[Id(snapshot)] = snapshot;
        }

        foreach (var change in files.SelectMany(f => f.Changes))
        {
            if (change.After is null)
            {
                state.Remove(change.CollectionId);
            }
            else
            {
                state[change.CollectionId] = CollectionService.Project(state.GetValueOrDefault(change.CollectionId), change.After);
            }
        }

        return state;
    }

    /// <summary>The changes from <paramref name="projected"/> to <paramref name="current"/>: created and updated collections in the database's order, then deleted ones.</summary>
    private static List<CollectionChange> Difference(OrderedDictionary<string, JsonObject> projected, IReadOnlyList<JsonObject> current)
    {
        var changes = new List<CollectionChange>();
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var after in current)
        {
            var id = Id(after);
            present.Add(id);
            if (!projected.TryGetValue(id, out var before))
            {
                changes.Add(new CollectionChange(id, null, after));
            }
            else if (!JsonNode.DeepEquals(before, after))
            {
                changes.Add(new CollectionChange(id, before, after));
            }
        }

        changes.AddRange(projected.Where(p => !present.Contains(p.Key)).Select(p => new CollectionChange(p.Key, p.Value, null)));
        return changes;
    }

    private static string Id(JsonObject snapshot) => snapshot["id"]?.GetValue<string>() ?? "";
}
