using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Basalt.Model;
using Basalt.Storage.Schema;

namespace Basalt.Storage.Changes;

/// <summary>
/// A record's values as JSON text, as the change log keeps them: every field under its name, in the canonical types of
/// <see cref="Record"/> (text, numbers, bools, lists of strings, JSON). It is read back against the collection as it is
/// then: a field added since reads empty, a field removed since is left out.
/// </summary>
public static class RecordSnapshot
{
    public static string Encode(Record record) => Write(record.Values);

    /// <summary>
    /// The collection's fields only, in its order, from the values about to be written: the entry of a row that is not
    /// read back (a create sent with its commit), as <see cref="Encode"/> gives of a row read back.
    /// </summary>
    public static string EncodeFields(Record record) =>
        Write(record.Collection.Fields.Select(f => new KeyValuePair<string, object?>(f.Name, record.Get(f.Name))));

    private static string Write(IEnumerable<KeyValuePair<string, object?>> values)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in values)
            {
                writer.WritePropertyName(name);
                RecordValueJson.Write(writer, value);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static Record Decode(Collection collection, string json)
    {
        var record = new Record(collection);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        foreach (var field in collection.Fields)
        {
            var kind = ColumnKinds.Of(field);
            record.Set(field.Name, root.TryGetProperty(field.Name, out var value) ? Read(kind, value) : ValueConversion.Empty(kind));
        }

        return record;
    }

    private static object? Read(ColumnKind kind, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return ValueConversion.Empty(kind);
        }

        return kind switch
        {
            ColumnKind.Json or ColumnKind.GeoPoint => JsonNode.Parse(value.GetRawText()),
            ColumnKind.JsonArray when value.ValueKind == JsonValueKind.Array =>
                value.EnumerateArray().Select(i => i.ValueKind == JsonValueKind.String ? i.GetString()! : i.GetRawText()).ToList(),
            _ => ValueConversion.FromDb(kind, value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetDouble(),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => value.GetRawText(),
            }),
        };
    }
}
