using System.Text.Json.Nodes;

namespace Basalt.Client;

/// <summary>Lenient reads of JSON answers: a missing or differently typed value gives the fallback, never an exception.</summary>
internal static class JsonRead
{
    public static string? String(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static double? Number(JsonNode? node) => node is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;

    public static bool Bool(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    public static JsonObject Object(JsonNode? node) => node as JsonObject ?? [];
}
