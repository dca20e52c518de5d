using System.Text.Json;
using System.Text.Json.Nodes;
using Basalt.Common;
using Basalt.Model;
using Basalt.Storage.Schema;

namespace Basalt.PocketBaseImport;

/// <summary>
/// A record as one line of an export: every field by name with its stored value (password hashes and token keys
/// included, json fields as the JSON value itself), and back again as a record of the collection it is imported into.
/// </summary>
internal static class RecordJson
{
    /// <summary>Text as it is, not escaped to ASCII: the file is UTF-8, and json values keep their characters.</summary>
    public static readonly JsonSerializerOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(Utf8JsonWriter writer, Record record)
    {
        writer.WriteStartObject();
        foreach (var field in record.Collection.Fields)
        {
            writer.WritePropertyName(field.Name);
            RecordValueJson.Write(writer, record.Get(field.Name));
        }

        writer.WriteEndObject();
    }

    /// <summary>The record of <paramref name="target"/> a line describes; a field the line lacks takes its empty value.</summary>
    public static Record Read(JsonObject line, Collection target)
    {
        var record = new Record(target);
        foreach (var field in target.Fields)
        {
            line.TryGetPropertyValue(field.Name, out var node);
            record.Set(field.Name, Value(ColumnKinds.Of(field), node));
        }

        return record;
    }

    private static object? Value(ColumnKind kind, JsonNode? node) => kind switch
    {
        ColumnKind.Number => JsonNumber.Get(node) ?? 0d,
        ColumnKind.Bool => node is JsonValue v && v.GetValueKind() == JsonValueKind.True,
        ColumnKind.JsonArray => node is JsonArray a ? a.Select(Loose.Text).ToList() : node is null ? new List<string>() : [Loose.Text(node)],
        ColumnKind.Json => node?.ToJsonString(Options),
        ColumnKind.GeoPoint => node?.DeepClone() ?? new JsonObject { ["lon"] = 0, ["lat"] = 0 },
        _ => node is null ? "" : Loose.Text(node),
    };
}
