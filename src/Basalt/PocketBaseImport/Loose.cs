using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Basalt.Common;

namespace Basalt.PocketBaseImport;

/// <summary>
/// Reads values out of PocketBase's stored JSON the forgiving way its own upgrade code does: a missing key, a null or a
/// value of another type gives the type's zero value, and a path that leaves the objects gives null.
/// </summary>
internal static class Loose
{
    public static JsonNode? At(JsonNode? node, params string[] keys)
    {
        foreach (var key in keys)
        {
            node = node is JsonObject o ? o[key] : null;
        }

        return node;
    }

    public static string Text(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => (JsonNumber.Get(v) ?? 0).ToString(CultureInfo.InvariantCulture),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValueKind() == JsonValueKind.True ? "true" : "false",
        _ => "",
    };

    public static bool Bool(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.True => true,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>() is "true" or "1",
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => JsonNumber.Get(v) is not (null or 0),
        _ => false,
    };

    public static long Integer(JsonNode? node) => node switch
    {
        JsonValue v when JsonNumber.Get(v) is { } d => (long)d,
        JsonValue v when v.GetValueKind() == JsonValueKind.String && long.TryParse(v.GetValue<string>(), CultureInfo.InvariantCulture, out var l) => l,
        _ => 0,
    };

    /// <summary>A number, or null when the value is not one (PocketBase's optional min/max).</summary>
    public static JsonNode? NumberOrNull(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.DeepClone() : null;

    public static JsonArray Strings(JsonNode? node) =>
        node is JsonArray a ? [.. a.Select(x => (JsonNode?)Text(x))] : [];

    /// <summary>A rule as stored (null stays null), with v0.22's <c>@request.data</c> renamed as v0.23 did.</summary>
    public static string? Rule(object? value) =>
        value is string rule ? rule.Replace("@request.data", "@request.body", StringComparison.Ordinal) : null;

    /// <summary>A JSON column's text parsed; null when the column is empty or not JSON.</summary>
    public static JsonNode? Parse(object? value)
    {
        if (value is not string text || text.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string Column(IReadOnlyDictionary<string, object?> row, string key) =>
        row.TryGetValue(key, out var value) ? Convert.ToString(value, CultureInfo.InvariantCulture) ?? "" : "";

    public static bool ColumnBool(IReadOnlyDictionary<string, object?> row, string key) =>
        row.TryGetValue(key, out var value) && value switch
        {
            long l => l != 0,
            bool b => b,
            string s => s is "1" or "true",
            double d => d != 0,
            _ => false,
        };
}
