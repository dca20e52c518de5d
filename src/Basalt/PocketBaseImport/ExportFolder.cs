using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Basalt.Model;

namespace Basalt.PocketBaseImport;

/// <summary>
/// A folder <c>basalt export</c> wrote (<see cref="ExportLayout"/>), read back as an import source: collections and
/// settings from their JSON files, rows from each collection's JSON-lines file, files from <c>storage/</c>.
/// </summary>
public sealed class ExportFolder : ImportSource
{
    private readonly List<SourceCollection> _collections = [];
    private JsonObject? _settings;

    private ExportFolder(string folder)
    {
        Folder = folder;
    }

    public string Folder { get; }

    public override string Description => $"Basalt export {Folder}";

    public override IReadOnlyList<SourceCollection> Collections => _collections;

    public override JsonObject? Settings => _settings;

    public override string? StorageRoot => Path.Combine(Folder, ExportLayout.Storage);

    public static async Task<ExportFolder> OpenFolderAsync(string folder, CancellationToken cancellationToken)
    {
        var manifest = await ReadJsonAsync(Path.Combine(folder, ExportLayout.Manifest), cancellationToken) as JsonObject;
        if (Loose.Text(manifest?["format"]) != ExportLayout.Format)
        {
            throw new ImportFailedException($"{folder}/{ExportLayout.Manifest} is not the manifest of a Basalt export.");
        }

        if (Loose.Integer(manifest?["version"]) > ExportLayout.Version)
        {
            throw new ImportFailedException($"{folder} was exported by a newer Basalt (format version {Loose.Integer(manifest?["version"])}); import it with that version or later.");
        }

        var source = new ExportFolder(folder);
        if (await ReadJsonAsync(Path.Combine(folder, ExportLayout.Collections), cancellationToken) is not JsonArray collections || collections.Any(c => c is not JsonObject))
        {
            throw new ImportFailedException($"{folder}/{ExportLayout.Collections} is not an array of collections.");
        }

        foreach (var json in collections.Cast<JsonObject>())
        {
            var collection = new SourceCollection((JsonObject)json.DeepClone());
            var isView = collection.Type == CollectionType.View;
            source._collections.Add(new SourceCollection(collection.Json) { Table = isView ? null : collection.Id });
        }

        var settingsPath = Path.Combine(folder, ExportLayout.Settings);
        source._settings = File.Exists(settingsPath) ? await ReadJsonAsync(settingsPath, cancellationToken) as JsonObject : null;
        return source;
    }

    public override async Task<long> CountAsync(SourceCollection collection, CancellationToken cancellationToken)
    {
        var count = 0L;
        await foreach (var _ in LinesAsync(collection, cancellationToken))
        {
            count++;
        }

        return count;
    }

    public override async IAsyncEnumerable<Record> ReadAsync(SourceCollection collection, Collection target, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var line in LinesAsync(collection, cancellationToken))
        {
            yield return RecordJson.Read(line, target);
        }
    }

    public override async Task<IReadOnlyList<string>> UnreadColumnsAsync(SourceCollection collection, Collection target, CancellationToken cancellationToken)
    {
        await foreach (var line in LinesAsync(collection, cancellationToken))
        {
            return line.Select(p => p.Key).Where(k => target.FindField(k) is null).ToList();
        }

        return [];
    }

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async IAsyncEnumerable<JsonObject> LinesAsync(SourceCollection collection, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (collection.Table is null || !IsSafeName(collection.Table))
        {
            yield break;
        }

        var path = Path.Combine(Folder, ExportLayout.RecordsFile(collection.Table));
        if (!File.Exists(path))
        {
            yield break;
        }

        using var reader = new StreamReader(path);
        var number = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            JsonNode? node;
            try
            {
                node = JsonNode.Parse(line);
            }
            catch (JsonException e)
            {
                throw new ImportFailedException($"{path} line {number} is not JSON: {e.Message}", e);
            }

            yield return node as JsonObject ?? throw new ImportFailedException($"{path} line {number} is not a JSON object.");
        }
    }

    /// <summary>A collection id used as a file name: word characters only, so it cannot name a path elsewhere.</summary>
    private static bool IsSafeName(string name) => name.Length is > 0 and <= 100 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static async Task<JsonNode?> ReadJsonAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = File.OpenRead(path);
            return await JsonNode.ParseAsync(stream, cancellationToken: cancellationToken);
        }
        catch (JsonException e)
        {
            throw new ImportFailedException($"{path} is not valid JSON: {e.Message}", e);
        }
        catch (FileNotFoundException e)
        {
            throw new ImportFailedException($"{path} is missing.", e);
        }
    }
}
