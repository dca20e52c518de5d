using System.Text.Json.Nodes;
using Basalt.Model;
using Basalt.Storage.PocketBase;

namespace Basalt.PocketBaseImport;

/// <summary>
/// A PocketBase data folder (<c>pb_data</c>): <c>data.db</c> read through <see cref="PocketBaseDataFile"/> and the files
/// under <c>storage/</c>. The layout is told from <c>_collections</c>: a <c>schema</c> column is v0.22 (admins in
/// <c>_admins</c>, settings under <c>_params.key = 'settings'</c>), a <c>fields</c> column v0.23+ (<c>_superusers</c>,
/// <c>_params.id = 'settings'</c>). v0.22 collections are converted as PocketBase's own upgrade converts them.
/// </summary>
public sealed class PocketBaseFolder : ImportSource
{
    private const string DataFile = "data.db";

    private static readonly string[] TransientCollections = ["_mfas", "_otps"];

    private readonly PocketBaseDataFile _file;
    private readonly List<SourceCollection> _collections = [];
    private IReadOnlyDictionary<string, string> _objects = new Dictionary<string, string>();
    private JsonObject? _settings;
    private string? _storageRoot;

    private PocketBaseFolder(string folder, PocketBaseDataFile file)
    {
        Folder = folder;
        _file = file;
    }

    public string Folder { get; }

    /// <summary>True for the v0.22 layout.</summary>
    public bool Legacy { get; private set; }

    public override string Description => $"PocketBase {(Legacy ? "v0.22" : "v0.23+")} data folder {Folder}";

    public override IReadOnlyList<SourceCollection> Collections => _collections;

    public override JsonObject? Settings => _settings;

    public override string? StorageRoot => _storageRoot;

    public static async Task<PocketBaseFolder> OpenFolderAsync(string folder, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, DataFile);
        if (!File.Exists(path))
        {
            throw new ImportFailedException($"{folder} is not a PocketBase data folder: it has no {DataFile}.");
        }

        PocketBaseDataFile file;
        try
        {
            file = await PocketBaseDataFile.OpenAsync(path, cancellationToken);
        }
        catch (InvalidDataException e)
        {
            throw new ImportFailedException(e.Message, e);
        }

        var source = new PocketBaseFolder(folder, file);
        try
        {
            await file.CheckIntegrityAsync(cancellationToken);
            await source.LoadAsync(cancellationToken);
            return source;
        }
        catch (InvalidDataException e)
        {
            await source.DisposeAsync();
            throw new ImportFailedException(e.Message, e);
        }
        catch
        {
            await source.DisposeAsync();
            throw;
        }
    }

    public override Task<long> CountAsync(SourceCollection collection, CancellationToken cancellationToken) =>
        collection.Table is null ? Task.FromResult(0L) : _file.CountAsync(collection.Table, cancellationToken);

    public override async IAsyncEnumerable<Record> ReadAsync(SourceCollection collection, Collection target, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (collection.Table is null)
        {
            yield break;
        }

        var columns = await ColumnMapAsync(collection, target, cancellationToken);
        await foreach (var record in _file.ReadRecordsAsync(collection.Table, target, columns, cancellationToken))
        {
            foreach (var (field, value) in collection.Constants)
            {
                if (target.FindField(field) is not null)
                {
                    record.Set(field, value);
                }
            }

            yield return record;
        }
    }

    public override async Task<IReadOnlyList<string>> UnreadColumnsAsync(SourceCollection collection, Collection target, CancellationToken cancellationToken)
    {
        if (collection.Table is null)
        {
            return [];
        }

        var read = (await ColumnMapAsync(collection, target, cancellationToken)).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
        return (await _file.ColumnsAsync(collection.Table, cancellationToken)).Where(c => !read.Contains(c)).ToList();
    }

    public override ValueTask DisposeAsync() => _file.DisposeAsync();

    /// <summary>For each field of <paramref name="target"/>, the column of the source table it is read from, or null.</summary>
    private async Task<IReadOnlyList<string?>> ColumnMapAsync(SourceCollection collection, Collection target, CancellationToken cancellationToken)
    {
        var columns = (await _file.ColumnsAsync(collection.Table!, cancellationToken)).ToDictionary(c => c, StringComparer.OrdinalIgnoreCase);
        return target.Fields
            .Select(f => collection.Constants.ContainsKey(f.Name) ? null
                : columns.GetValueOrDefault(collection.Columns.GetValueOrDefault(f.Name, f.Name)))
            .ToList();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        _objects = await _file.ObjectsAsync(cancellationToken);
        if (!_objects.ContainsKey("_collections") || !_objects.ContainsKey("_params"))
        {
            throw new ImportFailedException($"{Folder} is not a PocketBase data folder: {DataFile} has no _collections and _params tables.");
        }

        var collectionColumns = await _file.ColumnsAsync("_collections", cancellationToken);
        Legacy = collectionColumns.Contains("schema", StringComparer.Ordinal);
        if (!Legacy && !collectionColumns.Contains("fields", StringComparer.Ordinal))
        {
            throw new ImportFailedException($"{Folder} is not a PocketBase data folder: its _collections table has neither schema nor fields.");
        }

        var superusersTable = Legacy ? "_admins" : "_superusers";
        if (!_objects.ContainsKey(superusersTable))
        {
            throw new ImportFailedException($"{Folder} is not a PocketBase data folder: {DataFile} has no {superusersTable} table.");
        }

        var oldSettings = await ReadSettingsAsync(cancellationToken);
        var rows = await _file.ReadTableAsync("_collections", cancellationToken);
        if (Legacy)
        {
            _settings = oldSettings is null ? null : LegacySettings.AppSettings(oldSettings);
            await LoadLegacyAsync(rows, oldSettings, cancellationToken);
        }
        else
        {
            _settings = oldSettings;
            LoadCurrent(rows);
        }

        _storageRoot = Path.Combine(Folder, "storage");
        if (Loose.Bool(Loose.At(_settings, "s3", "enabled")))
        {
            Notes.Add(new ImportNote(
                "files",
                $"PocketBase kept its files in the S3 bucket \"{Loose.Text(Loose.At(_settings, "s3", "bucket"))}\"; its s3 settings are imported, so Basalt serves them from that bucket and none is copied"));
            _storageRoot = null;
        }

        if (_objects.ContainsKey("_logs") || File.Exists(Path.Combine(Folder, "logs.db")) || File.Exists(Path.Combine(Folder, "auxiliary.db")))
        {
            Notes.Add(new ImportNote("request logs", "PocketBase's request logs are not imported; Basalt keeps its own"));
        }
    }

    private async Task<JsonObject?> ReadSettingsAsync(CancellationToken cancellationToken)
    {
        var rows = await _file.ReadTableAsync("_params", cancellationToken);
        var row = rows.Find(r => Loose.Column(r, Legacy ? "key" : "id") == "settings");
        if (row is null)
        {
            Notes.Add(new ImportNote("settings", "PocketBase's data has no settings; Basalt's stay as they are"));
            return null;
        }

        if (Loose.Parse(row.GetValueOrDefault("value")) is JsonObject settings)
        {
            return settings;
        }

        Notes.Add(new ImportNote(
            "settings",
            "PocketBase's settings are encrypted (its --encryptionEnv option) or unreadable; Basalt's stay as they are, so set them again in the dashboard"));
        return null;
    }

    private void LoadCurrent(List<Dictionary<string, object?>> rows)
    {
        foreach (var row in rows)
        {
            var json = CurrentCollections.Convert(row);
            var name = Loose.Text(json["name"]);
            if (TransientCollections.Contains(name, StringComparer.Ordinal))
            {
                Notes.Add(new ImportNote($"collection \"{name}\"", "one-time passwords and MFA sessions are short-lived; they are not imported"));
                continue;
            }

            _collections.Add(new SourceCollection(json) { Table = Loose.Text(json["type"]) == CollectionType.View ? null : name });
        }
    }

    private async Task LoadLegacyAsync(List<Dictionary<string, object?>> rows, JsonObject? oldSettings, CancellationToken cancellationToken)
    {
        var notes = new List<ImportNote>();
        foreach (var row in rows)
        {
            var name = Loose.Column(row, "name");
            var type = Loose.Column(row, "type");
            var viewColumns = type == CollectionType.View && _objects.ContainsKey(name) ? await _file.ColumnsAsync(name, cancellationToken) : [];
            var json = LegacyCollections.Convert(row, oldSettings, viewColumns, notes);
            var columns = type == CollectionType.Auth
                ? new Dictionary<string, string>(StringComparer.Ordinal) { ["password"] = "passwordHash" }
                : new Dictionary<string, string>(StringComparer.Ordinal);
            _collections.Add(new SourceCollection(json) { Table = type == CollectionType.View ? null : name, Columns = columns });
        }

        Notes.AddRange(notes.DistinctBy(n => n.Reason).Take(1));

        var superusers = new JsonObject { ["id"] = "", ["name"] = SystemCollections.Superusers, ["type"] = CollectionType.Auth, ["system"] = true };
        foreach (var (key, value) in LegacySettings.Superusers(oldSettings))
        {
            superusers[key] = value?.DeepClone();
        }

        _collections.Add(new SourceCollection(superusers)
        {
            Table = "_admins",
            Columns = new Dictionary<string, string>(StringComparer.Ordinal) { ["password"] = "passwordHash" },
            Constants = new Dictionary<string, object?>(StringComparer.Ordinal) { ["verified"] = true, ["emailVisibility"] = false },
        });

        if (_objects.ContainsKey("_externalAuths"))
        {
            _collections.Add(new SourceCollection(new JsonObject { ["id"] = "", ["name"] = "_externalAuths", ["type"] = CollectionType.Base, ["system"] = true })
            {
                Table = "_externalAuths",
                Columns = new Dictionary<string, string>(StringComparer.Ordinal) { ["collectionRef"] = "collectionId", ["recordRef"] = "recordId" },
            });
        }
    }
}
