using System.Text.Json.Nodes;
using Basalt.Collections;
using Basalt.Errors;
using Basalt.Model;

namespace Basalt.PocketBaseImport;

/// <summary>
/// Planning the source's own collections: read as Basalt collections, matched against what Basalt has (an empty
/// collection of the same id or name is replaced, one holding records stops the import), then validated together as
/// Basalt validates an import. A rule, index, OAuth2 provider or view that Basalt cannot take is left out and noted;
/// anything else invalid stops the import.
/// </summary>
public sealed partial class PocketBaseImporter
{
    private static readonly string[] RuleKeys = ["listRule", "viewRule", "createRule", "updateRule", "deleteRule"];

    private async Task PlanCollectionsAsync(ImportSource source, List<SourceCollection> own, Dictionary<string, string> systemIds, ImportPlan plan, CancellationToken cancellationToken)
    {
        var candidates = new List<(SourceCollection Source, Collection Target)>();
        foreach (var collection in own)
        {
            var json = (JsonObject)collection.Json.DeepClone();
            RemapRelations(json, systemIds);
            var errors = new NestedErrors();
            var target = CollectionJson.Read(json, errors);
            if (!errors.IsEmpty)
            {
                throw Invalid(collection.Name, errors);
            }

            candidates.Add((collection, target));
        }

        var replaced = await ReplacedAsync(candidates.Select(c => c.Target).ToList(), cancellationToken);
        var dropped = new HashSet<string>(StringComparer.Ordinal);
        Validate(candidates, replaced, dropped, plan);

        // Tables first (a view reads them), and the views in the source's order, which is the order they were made in.
        foreach (var (collection, target) in candidates.Where(c => !dropped.Contains(c.Target.Id)).OrderBy(c => c.Target.IsView))
        {
            var replaces = replaced.Find(r => r.Id == target.Id || string.Equals(r.Name, target.Name, StringComparison.OrdinalIgnoreCase));
            var records = target.IsView ? 0 : await source.CountAsync(collection, cancellationToken);
            plan.Collections.Add(new PlannedCollection(collection, target, records, replaces));
            var unread = await source.UnreadColumnsAsync(collection, target, cancellationToken);
            if (unread.Count > 0)
            {
                plan.Notes.Add(new ImportNote($"collection \"{target.Name}\"", $"the columns {string.Join(", ", unread)} match no field and are left out (PocketBase's own upgrade drops them too)"));
            }
        }
    }

    /// <summary>Points relation fields at Basalt's id of a system collection where the source's differs.</summary>
    private static void RemapRelations(JsonObject json, Dictionary<string, string> systemIds)
    {
        foreach (var field in (json["fields"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (Loose.Text(field["type"]) == FieldType.Relation && systemIds.TryGetValue(Loose.Text(field["collectionId"]), out var ours))
            {
                field["collectionId"] = ours;
            }
        }
    }

    /// <summary>
    /// The Basalt collections the import takes the place of: those with an imported collection's id or name. Each must
    /// be an empty, non-system one (as the <c>users</c> collection of a new Basalt is); anything else stops the import.
    /// </summary>
    private async Task<List<Collection>> ReplacedAsync(List<Collection> candidates, CancellationToken cancellationToken)
    {
        var replaced = new List<Collection>();
        foreach (var candidate in candidates)
        {
            foreach (var existing in cache.All.Where(e => e.Id == candidate.Id || string.Equals(e.Name, candidate.Name, StringComparison.OrdinalIgnoreCase)))
            {
                if (replaced.Contains(existing))
                {
                    continue;
                }

                if (existing.System)
                {
                    throw new ImportFailedException($"The collection \"{candidate.Name}\" ({candidate.Id}) clashes with Basalt's system collection \"{existing.Name}\"; nothing was imported.");
                }

                var rows = existing.IsView ? 0 : await database.ReadAsync((c, ct) => store.CountAsync(existing, null, c, ct), cancellationToken);
                if (rows > 0)
                {
                    throw new ImportFailedException(
                        $"Basalt already has a collection \"{existing.Name}\" ({existing.Id}) with {ImportPlan.Count(rows, "record")}, and the import brings \"{candidate.Name}\" ({candidate.Id}); " +
                        "import into an empty Basalt, or delete that collection first. Nothing was imported.");
                }

                replaced.Add(existing);
            }
        }

        foreach (var kept in cache.All.Where(k => !replaced.Contains(k)))
        {
            foreach (var field in kept.Fields.Where(f => f.Type == FieldType.Relation))
            {
                if (replaced.Find(r => r.Id == field.CollectionId) is { } gone && !candidates.Any(c => c.Id == gone.Id))
                {
                    throw new ImportFailedException($"The Basalt collection \"{kept.Name}\" relates to \"{gone.Name}\", which the import replaces under another id; nothing was imported.");
                }
            }
        }

        return replaced;
    }

    /// <summary>
    /// Validates every candidate against the collections as they will be (Basalt's, less the replaced ones, plus every
    /// candidate), mending what can be left out and noting it, until all pass.
    /// </summary>
    private void Validate(List<(SourceCollection Source, Collection Target)> candidates, List<Collection> replaced, HashSet<string> dropped, ImportPlan plan)
    {
        var removedIds = replaced.Select(r => r.Id).ToList();
        for (var round = 0; ; round++)
        {
            var live = candidates.Where(c => !dropped.Contains(c.Target.Id)).Select(c => c.Target).ToList();
            var overlay = new CollectionOverlay(cache.All, live, removedIds);
            var restart = false;
            foreach (var candidate in live.OrderBy(c => c.IsView))
            {
                for (var attempt = 0; ; attempt++)
                {
                    var errors = new NestedErrors();
                    validator.Check(candidate, null, overlay, errors);
                    if (errors.IsEmpty)
                    {
                        break;
                    }

                    var paths = Paths(errors.ToJson(), "").ToList();
                    if (candidate.IsView && paths.Any(p => p.Path.StartsWith("viewQuery", StringComparison.Ordinal) || p.Path.StartsWith("fields", StringComparison.Ordinal)))
                    {
                        dropped.Add(candidate.Id);
                        plan.Notes.Add(new ImportNote($"view \"{candidate.Name}\"", "Basalt cannot run its query: " + string.Join("; ", paths.Select(p => p.Message))));
                        restart = true;
                        break;
                    }

                    if (attempt > 20 || !paths.All(p => Mend(candidate, p.Path, p.Message, plan)))
                    {
                        throw Invalid(candidate.Name, errors);
                    }
                }

                if (restart)
                {
                    break;
                }
            }

            if (!restart)
            {
                return;
            }

            if (round > candidates.Count)
            {
                throw new ImportFailedException("The collections could not be validated together; nothing was imported.");
            }
        }
    }

    /// <summary>Leaves out what the error at <paramref name="path"/> is about, when that is safe; false when it is not.</summary>
    private static bool Mend(Collection candidate, string path, string message, ImportPlan plan)
    {
        var parts = path.Split('.');
        var subject = $"collection \"{candidate.Name}\"";
        switch (parts)
        {
            case [var rule] when RuleKeys.Contains(rule, StringComparer.Ordinal):
                SetRule(candidate, rule);
                plan.Notes.Add(new ImportNote(subject + " " + rule, $"Basalt cannot compile it ({message}); set to null, so only superusers pass"));
                return true;
            case ["authRule" or "manageRule"]:
                plan.Notes.Add(new ImportNote(subject + " " + parts[0], $"Basalt cannot compile it ({message}); set to null, so nobody passes it"));
                candidate.Options[parts[0]] = null;
                return true;
            case ["mfa", "rule"]:
                plan.Notes.Add(new ImportNote(subject + " mfa.rule", $"Basalt cannot compile it ({message}); cleared"));
                candidate.Options["mfa"]!["rule"] = "";
                return true;
            case ["indexes", var i] when int.TryParse(i, out var index) && index < candidate.Indexes.Count:
                plan.Notes.Add(new ImportNote(subject + " index", $"{candidate.Indexes[index]}: {message}; left out"));
                candidate.Indexes.RemoveAt(index);
                return true;
            case ["oauth2", "providers", var i, ..] when int.TryParse(i, out var index) && Loose.At(candidate.Options, "oauth2", "providers") is JsonArray providers && index < providers.Count:
                plan.Notes.Add(new ImportNote(subject + " OAuth2 provider " + Loose.Text(Loose.At(providers[index], "name")), message + "; left out"));
                providers.RemoveAt(index);
                return true;
            case ["oauth2", "mappedFields", var key]:
                plan.Notes.Add(new ImportNote(subject + " OAuth2 mapped field " + key, message + "; cleared"));
                candidate.Options["oauth2"]!["mappedFields"]![key] = "";
                return true;
            default:
                return false;
        }
    }

    private static void SetRule(Collection candidate, string rule)
    {
        switch (rule)
        {
            case "listRule": candidate.ListRule = null; break;
            case "viewRule": candidate.ViewRule = null; break;
            case "createRule": candidate.CreateRule = null; break;
            case "updateRule": candidate.UpdateRule = null; break;
            default: candidate.DeleteRule = null; break;
        }
    }

    /// <summary>The leaves of a nested error object: each error's dotted path and message.</summary>
    private static IEnumerable<(string Path, string Message)> Paths(JsonObject errors, string prefix)
    {
        foreach (var (key, value) in errors)
        {
            var path = prefix.Length == 0 ? key : prefix + "." + key;
            if (value is JsonObject leaf && leaf["code"] is JsonValue)
            {
                yield return (path, Loose.Text(leaf["message"]));
            }
            else if (value is JsonObject child)
            {
                foreach (var nested in Paths(child, path))
                {
                    yield return nested;
                }
            }
        }
    }

    private static ImportFailedException Invalid(string name, NestedErrors errors) =>
        new($"The collection \"{name}\" is not valid in Basalt: " +
            string.Join("; ", Paths(errors.ToJson(), "").Select(p => p.Path + ": " + p.Message)) + ". Nothing was imported.");
}
