using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Basalt.Errors;

namespace Basalt.Settings;

/// <summary>
/// Typed reads of settings JSON: a missing member keeps its default, a member of the wrong type is recorded as a
/// <c>validation_invalid_type</c> error at its path and keeps the default too.
/// </summary>
internal static class SettingsJson
{
    public static JsonObject Section(JsonObject parent, string key, string path, NestedErrors errors)
    {
        var node = parent[key];
        if (node is null or JsonObject)
        {
            return node as JsonObject ?? [];
        }

        errors.Add(path, "validation_invalid_type", "Must be an object.");
        return [];
    }

    public static string Text(JsonObject section, string key, string fallback, string path, NestedErrors errors)
    {
        var node = section[key];
        if (node is null)
        {
            return fallback;
        }

        if (node is JsonValue v && v.TryGetValue<string>(out var s))
        {
            return s.Trim();
        }

        errors.Add(NestedErrors.Path(path, key), "validation_invalid_type", "Must be a string.");
        return fallback;
    }

    public static bool Bool(JsonObject section, string key, bool fallback, string path, NestedErrors errors)
    {
        var node = section[key];
        if (node is null)
        {
            return fallback;
        }

        if (node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            return v.GetValueKind() == JsonValueKind.True;
        }

        errors.Add(NestedErrors.Path(path, key), "validation_invalid_type", "Must be a boolean.");
        return fallback;
    }

    public static int Int(JsonObject section, string key, int fallback, string path, NestedErrors errors)
    {
        var value = Long(section, key, fallback, path, errors);
        if (value is >= int.MinValue and <= int.MaxValue)
        {
            return (int)value;
        }

        errors.Add(NestedErrors.Path(path, key), "validation_invalid_type", "Must be a whole number.");
        return fallback;
    }

    public static long Long(JsonObject section, string key, long fallback, string path, NestedErrors errors)
    {
        var node = section[key];
        if (node is null)
        {
            return fallback;
        }

        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && long.TryParse(v.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }

        errors.Add(NestedErrors.Path(path, key), "validation_invalid_type", "Must be a whole number.");
        return fallback;
    }

    /// <summary>An array of strings; a non-array or a non-string item is an error at the array or the item's index.</summary>
    public static IReadOnlyList<string> Strings(JsonObject section, string key, IReadOnlyList<string> fallback, string path, NestedErrors errors)
    {
        var node = section[key];
        var at = NestedErrors.Path(path, key);
        if (node is null)
        {
            return fallback;
        }

        if (node is not JsonArray array)
        {
            errors.Add(at, "validation_invalid_type", "Must be an array of strings.");
            return fallback;
        }

        var result = new List<string>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JsonValue v && v.TryGetValue<string>(out var s))
            {
                result.Add(s.Trim());
            }
            else
            {
                errors.Add(NestedErrors.Path(at, i), "validation_invalid_type", "Must be a string.");
            }
        }

        return result;
    }

    public static JsonArray ToArray(IEnumerable<string> values) => [.. values.Select(v => (JsonNode?)v)];
}
