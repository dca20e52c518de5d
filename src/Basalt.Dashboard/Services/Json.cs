using System.Globalization;
using System.Text.Json.Nodes;

namespace Basalt.Dashboard.Services;

/// <summary>Reading the loosely typed JSON of collections and records without a null check at every step.</summary>
public static class Json
{
    public static string Str(JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    public static bool Bool(JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    public static double? Num(JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;

    public static JsonArray Arr(JsonNode? node, string name) => node is JsonObject o && o[name] is JsonArray a ? a : [];

    public static IEnumerable<JsonObject> Fields(JsonObject? collection) => Arr(collection, "fields").OfType<JsonObject>();

    public static IEnumerable<string> Strings(JsonNode? node) =>
        node switch
        {
            JsonArray a => a.Select(x => x is JsonValue v && v.TryGetValue<string>(out var s) ? s : x?.ToJsonString() ?? "").Where(s => s.Length > 0),
            JsonValue v when v.TryGetValue<string>(out var s) && s.Length > 0 => [s],
            _ => [],
        };

    /// <summary>A value as one short line for a table cell.</summary>
    public static string Display(JsonNode? value) =>
        value switch
        {
            null => "",
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
            JsonValue v when v.TryGetValue<double>(out var d) => d.ToString(CultureInfo.InvariantCulture),
            JsonArray a when a.All(x => x is JsonValue) => string.Join(", ", a.Select(Display)),
            _ => value.ToJsonString(),
        };

    public static bool IsSystem(JsonObject collection) => Bool(collection, "system") || Str(collection, "name").StartsWith('_');
}
