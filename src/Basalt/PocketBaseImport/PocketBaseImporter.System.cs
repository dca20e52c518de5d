using System.Text.Json.Nodes;
using Basalt.Collections;
using Basalt.Common;
using Basalt.Errors;
using Basalt.Model;

namespace Basalt.PocketBaseImport;

/// <summary>
/// Planning the rows that go into Basalt's own system collections (superusers, OAuth2 links, known sign-in origins),
/// and the token secrets and auth options of <c>_superusers</c>, so superuser tokens the source issued stay valid.
/// </summary>
public sealed partial class PocketBaseImporter
{
    private async Task PlanSystemAsync(ImportSource source, List<SourceCollection> system, ImportPlan plan, CancellationToken cancellationToken)
    {
        foreach (var collection in system)
        {
            if (cache.Find(collection.Name) is not { System: true } target)
            {
                plan.Notes.Add(new ImportNote($"collection \"{collection.Name}\"", "Basalt has no such system collection"));
                continue;
            }

            if (collection.Name == SystemCollections.Superusers)
            {
                plan.Superusers = SuperusersWithSourceOptions(collection, target, plan);
                await FindReplacedSuperusersAsync(source, collection, target, plan, cancellationToken);
                var extra = (collection.Json["fields"] as JsonArray ?? [])
                    .Select(f => Loose.Text(f?["name"]))
                    .Where(name => name.Length > 0 && target.FindField(name) is null)
                    .ToList();
                if (extra.Count > 0)
                {
                    plan.Notes.Add(new ImportNote("collection \"_superusers\"", $"the fields {string.Join(", ", extra)} are not in Basalt's _superusers and are left out"));
                }
            }

            var records = await source.CountAsync(collection, cancellationToken);
            plan.SystemRecords.Add(new PlannedCollection(collection, target, records, null));
            var unread = await source.UnreadColumnsAsync(collection, target, cancellationToken);
            if (unread.Count > 0)
            {
                plan.Notes.Add(new ImportNote($"collection \"{collection.Name}\"", $"the columns {string.Join(", ", unread)} match no field of Basalt's and are left out"));
            }
        }
    }

    /// <summary>
    /// Basalt's <c>_superusers</c> with the source's auth options (token secrets and durations above all) merged in and
    /// validated as an update; null when the source has none.
    /// </summary>
    private Collection? SuperusersWithSourceOptions(SourceCollection collection, Collection current, ImportPlan plan)
    {
        var incoming = new JsonObject();
        foreach (var key in AuthOptions.Keys.Where(collection.Json.ContainsKey))
        {
            incoming[key] = collection.Json[key]?.DeepClone();
        }

        if (incoming.Count == 0)
        {
            return null;
        }

        var errors = new NestedErrors();
        var candidate = CollectionJson.Read(JsonMerge.Merge(CollectionJson.Write(current, includeSecrets: true), incoming), errors);
        if (!errors.IsEmpty)
        {
            throw Invalid(candidate.Name, errors);
        }

        var secrets = AuthOptions.TokenKeys.ToDictionary(k => k, k => candidate.Options[k]?["secret"]?.DeepClone(), StringComparer.Ordinal);
        for (var attempt = 0; ; attempt++)
        {
            errors = new NestedErrors();
            validator.Check(candidate, current, new CollectionOverlay(cache.All, [candidate]), errors);
            if (errors.IsEmpty)
            {
                break;
            }

            if (attempt > 10 || !Paths(errors.ToJson(), "").All(p => Mend(candidate, p.Path, p.Message, plan)))
            {
                throw Invalid(candidate.Name, errors);
            }
        }

        // The validator rotates the auth secret when authRule changes, as an edit would; an import keeps the source's.
        foreach (var (key, secret) in secrets)
        {
            if (candidate.Options[key] is JsonObject token && secret is not null)
            {
                token["secret"] = secret;
            }
        }

        candidate.Updated = Now();
        return candidate;
    }

    /// <summary>Notes the Basalt superusers that share an id or an email with an imported one: the import replaces them.</summary>
    private async Task FindReplacedSuperusersAsync(ImportSource source, SourceCollection collection, Collection target, ImportPlan plan, CancellationToken cancellationToken)
    {
        await foreach (var incoming in source.ReadAsync(collection, target, cancellationToken))
        {
            var email = incoming.GetString("email");
            var existing = await database.ReadAsync(
                async (c, ct) => await store.FindByIdAsync(target, incoming.Id, c, null, ct)
                    ?? (email.Length > 0 ? await store.FindByValueAsync(target, "email", email, ignoreCase: true, c, null, ct) : null),
                cancellationToken);
            if (existing is not null)
            {
                plan.SuperusersReplaced.Add(existing.GetString("email"));
            }
        }
    }
}
