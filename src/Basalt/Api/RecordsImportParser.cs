using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Basalt.Errors;
using Basalt.Model;

namespace Basalt.Api;

/// <summary>Turns an import file into one create body per row: a JSON array of objects, or CSV whose header names the fields.</summary>
internal static class RecordsImportParser
{
    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = false };
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    public static List<JsonObject> FromJson(byte[] bytes)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(WithoutBom(bytes), NodeOptions, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new ApiError(ApiError.LoadFailed, e);
        }

        if (root is not JsonArray items || items.Any(i => i is not JsonObject))
        {
            throw ApiError.BadRequest("A JSON import is an array of record objects.");
        }

        return items.Select(i => (JsonObject)i!.DeepClone()).ToList();
    }

    public static List<JsonObject> FromCsv(Collection collection, byte[] bytes)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(WithoutBom(bytes));
        }
        catch (DecoderFallbackException e)
        {
            throw new ApiError("A CSV import must be UTF-8 text.", e);
        }

        var rows = Csv.Parse(text);
        if (rows.Count == 0)
        {
            return [];
        }

        var header = rows[0];
        var fields = header.Select(name => collection.FindField(name.Trim())).ToList();
        var bodies = new List<JsonObject>(rows.Count - 1);
        foreach (var row in rows.Skip(1))
        {
            var body = new JsonObject();
            for (var i = 0; i < header.Count && i < row.Count; i++)
            {
                if (row[i].Length > 0 && fields[i] is { } field)
                {
                    body[field.Name] = Value(field, Csv.Restored(row[i]));
                }
            }

            bodies.Add(body);
        }

        return bodies;
    }

    /// <summary>A cell as the JSON value a create body would carry; text that is not what the field takes stays text, for the validation to name.</summary>
    private static JsonNode? Value(Field field, string cell)
    {
        if (field.Type == FieldType.Json || field.Type == FieldType.GeoPoint || field.IsMultiple)
        {
            try
            {
                return JsonNode.Parse(cell, NodeOptions, DocumentOptions);
            }
            catch (JsonException)
            {
                return field.Type == FieldType.Json ? JsonValue.Create(cell) : new JsonArray(JsonValue.Create(cell));
            }
        }

        if (field.Type == FieldType.Number && double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return JsonValue.Create(number);
        }

        if (field.Type == FieldType.Bool && bool.TryParse(cell, out var flag))
        {
            return JsonValue.Create(flag);
        }

        return JsonValue.Create(cell);
    }

    private static ReadOnlySpan<byte> WithoutBom(byte[] bytes) =>
        bytes.AsSpan().StartsWith("\uFEFF"u8) ? bytes.AsSpan(3) : bytes;
}
