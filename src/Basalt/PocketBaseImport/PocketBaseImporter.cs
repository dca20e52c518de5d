using System.Text.Json.Nodes;
using Basalt.Collections;
using Basalt.Common;
using Basalt.Errors;
using Basalt.Files;
using Basalt.Model;
using Basalt.Settings;
using Basalt.Storage;
using Basalt.Storage.Tables;
using Microsoft.Extensions.Logging;

namespace Basalt.PocketBaseImport;

/// <summary>
/// Moves a PocketBase app (or a Basalt export) into this Basalt: <see cref="PlanAsync"/> reads the source and the
/// current state, converts and validates everything and says what would change (a dry run stops there);
/// <see cref="RunAsync"/> writes it all in one unit of work, files included, so an import either lands whole or leaves
/// the database and the storage as they were. Collections keep their ids, rules, indexes and token secrets (tokens the
/// source issued stay valid); records keep their ids, dates, bcrypt hashes and token keys byte for byte. Meant to run
/// while no client writes (the server stopped, as <c>basalt import</c> runs it).
/// </summary>
public sealed partial class PocketBaseImporter(
    IDatabase database,
    SchemaMigrator migrator,
    CollectionService collectionService,
    CollectionCache cache,
    CollectionValidator validator,
    RecordStore store,
    SettingsService settingsService,
    FileStorageProvider storages,
    TimeProvider time,
    ILogger<PocketBaseImporter> logger)
{
    /// <summary>Basalt's own collections whose rows an import adds to.</summary>
    private static readonly string[] CopiedSystemCollections = [SystemCollections.Superusers, AuthSystemCollections.ExternalAuths, AuthSystemCollections.AuthOrigins];

    /// <summary>Reads <paramref name="source"/> against the current state; throws <see cref="ImportFailedException"/> for anything it cannot import.</summary>
    public async Task<ImportPlan> PlanAsync(ImportSource source, CancellationToken cancellationToken)
    {
        await collectionService.LoadAsync(cancellationToken);
        var plan = new ImportPlan(source.Description);
        plan.Notes.AddRange(source.Notes);
        var ids = SystemIdMap(source);
        var (own, system) = Split(source, plan);
        await PlanCollectionsAsync(source, own, ids, plan, cancellationToken);
        await PlanSystemAsync(source, system, plan, cancellationToken);
        await PlanSettingsAsync(source, plan, cancellationToken);
        await PlanFilesAsync(source, plan, cancellationToken);
        return plan;
    }

    /// <summary>Splits the source's collections into its own (imported as collections) and system ones (rows into Basalt's).</summary>
    private static (List<SourceCollection> Own, List<SourceCollection> System) Split(ImportSource source, ImportPlan plan)
    {
        var own = new List<SourceCollection>();
        var system = new List<SourceCollection>();
        foreach (var collection in source.Collections)
        {
            if (CopiedSystemCollections.Contains(collection.Name, StringComparer.Ordinal))
            {
                system.Add(collection);
            }
            else if (collection.System && collection.Name.StartsWith('_'))
            {
                if (collection.Name is not (AuthSystemCollections.Mfas or AuthSystemCollections.Otps))
                {
                    plan.Notes.Add(new ImportNote($"collection \"{collection.Name}\"", "a PocketBase system collection Basalt does not have"));
                }
            }
            else
            {
                CheckName(collection);
                own.Add(collection);
            }
        }

        return (own, system);
    }

    /// <summary>Refuses names and ids that could be anything but a word (a path, a quote): they end up in file paths and SQL.</summary>
    private static void CheckName(SourceCollection collection)
    {
        static bool Word(string s, int max) => s.Length > 0 && s.Length <= max && s.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
        if (!Word(collection.Name, 255))
        {
            throw new ImportFailedException($"The collection name \"{collection.Name}\" is not a valid name (letters, digits and underscores only); nothing was imported.");
        }

        if (!Word(collection.Id, 100))
        {
            throw new ImportFailedException($"The id \"{collection.Id}\" of collection \"{collection.Name}\" is not a valid id (letters, digits and underscores only); nothing was imported.");
        }
    }

    /// <summary>Source ids of PocketBase's system collections mapped to Basalt's ids of the same names, where they differ.</summary>
    private Dictionary<string, string> SystemIdMap(ImportSource source)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var collection in source.Collections.Where(c => c.System && c.Id.Length > 0))
        {
            if (cache.Find(collection.Name) is { System: true } ours && ours.Id != collection.Id)
            {
                map[collection.Id] = ours.Id;
            }
        }

        return map;
    }

    /// <summary>The app settings to store: Basalt's, with every section the source has taken from it.</summary>
    private async Task PlanSettingsAsync(ImportSource source, ImportPlan plan, CancellationToken cancellationToken)
    {
        if (source.Settings is not { } incoming)
        {
            return;
        }

        var current = (await settingsService.GetAsync(cancellationToken)).ToJson(includeSecrets: true);
        var merged = (JsonObject)current.DeepClone();
        foreach (var (key, value) in incoming)
        {
            if (!current.ContainsKey(key))
            {
                continue;
            }

            if (key == S3Settings.Key && !Loose.Bool(Loose.At(value, "enabled")) && Loose.Bool(Loose.At(current, key, "enabled")))
            {
                plan.Notes.Add(new ImportNote("settings s3", "PocketBase kept files in its data folder and Basalt stores them in S3; Basalt's s3 settings are kept and the files are copied into its bucket"));
                continue;
            }

            var candidate = (JsonObject)merged.DeepClone();
            candidate[key] = value is JsonObject section && current[key] is JsonObject ours ? JsonMerge.Merge(ours, section) : value?.DeepClone();
            try
            {
                AppSettings.FromJson(candidate).Validate();
                merged = candidate;
            }
            catch (ApiError e)
            {
                plan.Notes.Add(new ImportNote($"settings {key}", "Basalt does not accept PocketBase's values, so Basalt's are kept: " + e.Data.ToJsonString()));
            }
        }

        var stored = AppSettings.FromJson(merged).ToJson(includeSecrets: true);
        plan.SettingsChanged.AddRange(stored.Where(p => !JsonNode.DeepEquals(p.Value, current[p.Key])).Select(p => p.Key));
        plan.Settings = plan.SettingsChanged.Count > 0 ? stored : null;
    }

    private string Now() => DateFormat.Format(time.GetUtcNow());
}
