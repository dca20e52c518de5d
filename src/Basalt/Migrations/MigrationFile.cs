using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Basalt.Collections;

namespace Basalt.Migrations;

/// <summary>
/// One migration file: <c>{"format": 1, "created": "…", "comment": "…", "changes": [{"collection": id, "before": {…}|null,
/// "after": {…}|null}, …]}</c>. Each change holds a collection's snapshot before and after (no <c>before</c>: created;
/// no <c>after</c>: deleted); <c>up</c> sets every collection to its <c>after</c>, <c>down</c> to its <c>before</c>.
/// Reading is strict: an unknown key, a wrong type or a second change to one collection refuses the whole file.
/// </summary>
public sealed class MigrationFile
{
    /// <summary>The format this Basalt reads and writes; a later one is refused rather than half understood.</summary>
    public const int CurrentFormat = 1;

    /// <summary>Larger files are refused before they are read: a schema's JSON is kilobytes, this is room for thousands of collections.</summary>
    public const long MaxBytes = 32L << 20;

    private static readonly string[] FileKeys = ["format", "created", "comment", "changes"];
    private static readonly string[] ChangeKeys = ["collection", "before", "after"];

    // Read by people in diffs, never embedded in HTML: "+", "`" and non-ASCII letters stay as they are.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private MigrationFile(string fileName, string checksum, string created, IReadOnlyList<CollectionChange> changes)
    {
        FileName = fileName;
        Checksum = checksum;
        Created = created;
        Changes = changes;
    }

    /// <summary>The file's name in the migrations folder (<c>TIMESTAMP_NAME.json</c>), which is its identity.</summary>
    public string FileName { get; }

    /// <summary>The SHA-256 of the file's bytes, lower-case hex; recorded when applied, so a later edit is noticed.</summary>
    public string Checksum { get; }

    public string Created { get; }

    public IReadOnlyList<CollectionChange> Changes { get; }

    /// <summary>Reads <paramref name="content"/>, or throws a <see cref="MigrationException"/> naming the file and the JSON path at fault.</summary>
    public static MigrationFile Parse(string fileName, byte[] content)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(content, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw Invalid(fileName, $"is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})");
        }

        if (root is not JsonObject file)
        {
            throw Invalid(fileName, "must be a JSON object with \"format\" and \"changes\"");
        }

        CheckKeys(fileName, file, FileKeys, "");
        if (file["format"] is not JsonValue formatValue || !formatValue.TryGetValue<int>(out var format))
        {
            throw Invalid(fileName, $"needs \"format\": {CurrentFormat}");
        }

        if (format != CurrentFormat)
        {
            throw Invalid(fileName, format > CurrentFormat
                ? $"is in format {format}, written by a newer Basalt; this one reads format {CurrentFormat}"
                : $"is in format {format}; this Basalt reads format {CurrentFormat}");
        }

        var created = file["created"] is JsonValue c && c.TryGetValue<string>(out var createdText) ? createdText : "";
        if (file["comment"] is { } comment && (comment is not JsonValue cv || !cv.TryGetValue<string>(out _)))
        {
            throw Invalid(fileName, "\"comment\" must be a string");
        }

        if (file["changes"] is not JsonArray items)
        {
            throw Invalid(fileName, "needs \"changes\": an array of {\"collection\", \"before\", \"after\"}");
        }

        var changes = new List<CollectionChange>(items.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var change = ReadChange(fileName, items[i], "changes[" + i.ToString(CultureInfo.InvariantCulture) + "]");
            if (!seen.Add(change.CollectionId))
            {
                throw Invalid(fileName, $"changes the collection {change.CollectionId} more than once; one change per collection");
            }

            changes.Add(change);
        }

        return new MigrationFile(fileName, Sha256(content), created, changes);
    }

    /// <summary>The bytes of a new migration file: indented, so a review in version control reads it key by key.</summary>
    public static byte[] Write(string created, IReadOnlyList<CollectionChange> changes)
    {
        var file = new JsonObject
        {
            ["format"] = CurrentFormat,
            ["created"] = created,
            ["changes"] = new JsonArray(changes.Select(c => (JsonNode)new JsonObject
            {
                ["collection"] = c.CollectionId,
                ["before"] = c.Before?.DeepClone(),
                ["after"] = c.After?.DeepClone(),
            }).ToArray()),
        };
        return Encoding.UTF8.GetBytes(file.ToJsonString(Indented) + "\n");
    }

    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    private static CollectionChange ReadChange(string fileName, JsonNode? node, string path)
    {
        if (node is not JsonObject change)
        {
            throw Invalid(fileName, $"{path} must be an object {{\"collection\", \"before\", \"after\"}}");
        }

        CheckKeys(fileName, change, ChangeKeys, path + ".");
        if (change["collection"] is not JsonValue idValue || !idValue.TryGetValue<string>(out var id) || id.Length == 0)
        {
            throw Invalid(fileName, $"{path}.collection must be the collection's id");
        }

        var before = ReadSnapshot(fileName, change, "before", id, path);
        var after = ReadSnapshot(fileName, change, "after", id, path);
        if (before is null && after is null)
        {
            throw Invalid(fileName, $"{path} needs a \"before\" or an \"after\" snapshot");
        }

        return new CollectionChange(id, before, after);
    }

    private static JsonObject? ReadSnapshot(string fileName, JsonObject change, string key, string id, string path)
    {
        var node = change[key];
        if (node is null)
        {
            return null;
        }

        if (node is not JsonObject snapshot)
        {
            throw Invalid(fileName, $"{path}.{key} must be a collection object or null");
        }

        if (snapshot["id"] is { } snapshotId && (snapshotId is not JsonValue v || !v.TryGetValue<string>(out var text) || text != id))
        {
            throw Invalid(fileName, $"{path}.{key}.id must be the change's collection id \"{id}\"");
        }

        return snapshot;
    }

    private static void CheckKeys(string fileName, JsonObject json, string[] allowed, string path)
    {
        foreach (var (key, _) in json)
        {
            if (!allowed.Contains(key, StringComparer.Ordinal))
            {
                var shown = key.Length > 64 ? key[..64] + "…" : key;
                throw Invalid(fileName, $"has an unknown key {JsonValue.Create(path + shown).ToJsonString()} (allowed: {string.Join(", ", allowed)})");
            }
        }
    }

    private static MigrationException Invalid(string fileName, string why) => new($"The migration {fileName} {why}.");
}
