using System.Text.Json;
using System.Text.Json.Nodes;

namespace Basalt.Records;

/// <summary>
/// <c>?fields=</c> without a document: the JSON a response was written as is read token by token and only the picked
/// parts are copied to the response, raw, as <see cref="Apply"/> would leave them (same keys, same order). Only a value
/// under <c>:excerpt</c> is materialised. Reading the answer back into a <see cref="JsonNode"/> tree cost about a
/// hundred times the bytes of writing it.
/// </summary>
public sealed partial class FieldsPicker
{
    /// <summary>Writes what <see cref="Apply"/> would return for <paramref name="json"/> (one JSON value) to <paramref name="writer"/>.</summary>
    public void WriteTo(ReadOnlySpan<byte> json, Utf8JsonWriter writer)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        if (!IsListResult(json))
        {
            WritePicked(ref reader, json, writer, _fields);
            return;
        }

        writer.WriteStartObject();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var items = reader.ValueTextEquals("items"u8);
            writer.WritePropertyName(reader.GetString()!);
            reader.Read();
            if (items)
            {
                WritePicked(ref reader, json, writer, _fields);
            }
            else
            {
                CopyValue(ref reader, json, writer);
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>Whether the root is a list page (<c>page</c> and an <c>items</c> array), which <see cref="Apply"/> picks inside <c>items</c>.</summary>
    private static bool IsListResult(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        bool page = false, items = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isPage = reader.ValueTextEquals("page"u8);
            var isItems = reader.ValueTextEquals("items"u8);
            reader.Read();
            page |= isPage;
            items = isItems ? reader.TokenType == JsonTokenType.StartArray : items;
            reader.Skip();
        }

        return page && items;
    }

    /// <summary>The value at the reader, picked by <paramref name="fields"/> as <c>Pick</c> picks a node.</summary>
    private static void WritePicked(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, Utf8JsonWriter writer, Dictionary<string, Excerpt?> fields)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject when fields.Count > 0:
                WritePickedObject(ref reader, json, writer, fields);
                break;
            case JsonTokenType.StartArray:
                writer.WriteStartArray();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    WritePicked(ref reader, json, writer, fields);
                }

                writer.WriteEndArray();
                break;
            default:
                CopyValue(ref reader, json, writer);
                break;
        }
    }

    /// <summary>
    /// A key is kept whole when a path names it exactly (with that path's excerpt, if any), picked further when paths
    /// go below it, kept whole with <c>*</c>'s excerpt when only <c>*</c> reaches it, and dropped otherwise.
    /// </summary>
    private static void WritePickedObject(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, Utf8JsonWriter writer, Dictionary<string, Excerpt?> fields)
    {
        var hasStar = fields.TryGetValue("*", out var star);
        writer.WriteStartObject();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            Dictionary<string, Excerpt?>? rest = null;
            var whole = false;
            Excerpt? modifier = null;
            if (key != "*" && fields.TryGetValue(key, out modifier))
            {
                whole = true;
            }
            else
            {
                foreach (var (path, pathModifier) in fields)
                {
                    if (path.Length > key.Length + 1 && path[key.Length] == '.' && path.StartsWith(key, StringComparison.Ordinal))
                    {
                        rest ??= new Dictionary<string, Excerpt?>(StringComparer.Ordinal);
                        rest[path[(key.Length + 1)..]] = pathModifier;
                    }
                }

                if (rest is null && hasStar)
                {
                    whole = true;
                    modifier = star;
                }
            }

            if (whole)
            {
                writer.WritePropertyName(key);
                if (modifier is null)
                {
                    CopyValue(ref reader, json, writer);
                }
                else
                {
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    modifier.Apply(JsonNode.Parse(json[start..(int)reader.BytesConsumed])).WriteTo(writer);
                }
            }
            else if (rest is not null)
            {
                writer.WritePropertyName(key);
                WritePicked(ref reader, json, writer, rest);
            }
            else
            {
                reader.Skip();
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>Copies the value at the reader as it is and leaves the reader on its last token.</summary>
    private static void CopyValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, Utf8JsonWriter writer)
    {
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        writer.WriteRawValue(json[start..(int)reader.BytesConsumed], skipInputValidation: true);
    }
}
