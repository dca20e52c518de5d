using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Basalt.Collections;
using Basalt.Common;

namespace Basalt.Records.Fields;

/// <summary>
/// Turns submitted JSON values (from a JSON body or an inferred form) into the canonical CLR value of each field type,
/// and knows each type's empty value. Type mismatches become a <see cref="FieldIssue"/> instead of a silent zero.
/// </summary>
internal static class FieldValues
{
    public static object? Empty(Field field) => field.Type switch
    {
        FieldType.Number => 0d,
        FieldType.Bool => false,
        FieldType.Json => null,
        FieldType.GeoPoint => new JsonObject { ["lon"] = 0d, ["lat"] = 0d },
        _ when field.IsMultiple => new List<string>(),
        _ => "",
    };

    public static bool IsEmpty(Field field, object? value) => value switch
    {
        null => true,
        string s => s.Length == 0,
        double d => d == 0,
        bool b => !b,
        List<string> l => l.Count == 0,
        JsonObject o when field.Type == FieldType.GeoPoint => Coordinate(o, "lon") == 0 && Coordinate(o, "lat") == 0,
        JsonObject o => o.Count == 0,
        JsonArray a => a.Count == 0,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>().Length == 0,
        JsonValue v => v.GetValueKind() == JsonValueKind.Null,
        _ => false,
    };

    /// <summary>Converts <paramref name="input"/> for <paramref name="field"/>; on a type mismatch returns null and sets <paramref name="issue"/>.</summary>
    public static object? Normalize(Field field, JsonNode? input, out FieldIssue? issue)
    {
        issue = null;
        switch (field.Type)
        {
            case FieldType.Number:
                return ToNumber(input, ref issue);
            case FieldType.Bool:
                return ToBool(input, ref issue);
            case FieldType.Date or FieldType.Autodate:
                return ToDate(input, ref issue);
            case FieldType.Json:
                return ToJson(input);
            case FieldType.GeoPoint:
                return ToGeoPoint(input, ref issue);
            case FieldType.Select or FieldType.Relation or FieldType.File:
                var list = ToStringList(input, ref issue);
                if (field.IsMultiple)
                {
                    return list;
                }

                // a single-value field keeps the last submitted value, as PocketBase does
                return list.Count == 0 ? "" : list[^1];
            default:
                return ToText(input, ref issue);
        }
    }

    public static string ToText(JsonNode? input, ref FieldIssue? issue)
    {
        switch (input)
        {
            case null:
                return "";
            case JsonValue v:
                switch (v.GetValueKind())
                {
                    case JsonValueKind.String:
                        return v.GetValue<string>();
                    case JsonValueKind.Number:
                        return Num(v).ToString("R", CultureInfo.InvariantCulture);
                    case JsonValueKind.True:
                        return "true";
                    case JsonValueKind.False:
                        return "false";
                    case JsonValueKind.Null:
                        return "";
                }

                break;
        }

        issue = FieldIssue.Invalid("Must be a string.");
        return "";
    }

    public static List<string> ToStringList(JsonNode? input, ref FieldIssue? issue)
    {
        var result = new List<string>();
        switch (input)
        {
            case null:
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is JsonArray or JsonObject)
                    {
                        issue = FieldIssue.Invalid("Must be a list of strings.");
                        return [];
                    }

                    AddUnique(result, ToText(item, ref issue));
                }

                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                var s = v.GetValue<string>();
                if (s.StartsWith('[') && TryParseArray(s) is { } parsed)
                {
                    return ToStringList(parsed, ref issue);
                }

                AddUnique(result, s);
                break;
            case JsonValue:
                AddUnique(result, ToText(input, ref issue));
                break;
            default:
                issue = FieldIssue.Invalid("Must be a string or a list of strings.");
                break;
        }

        return result;
    }

    private static JsonArray? TryParseArray(string s)
    {
        try
        {
            return JsonNode.Parse(s) as JsonArray;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void AddUnique(List<string> list, string value)
    {
        if (value.Length > 0 && !list.Contains(value))
        {
            list.Add(value);
        }
    }

    private static double ToNumber(JsonNode? input, ref FieldIssue? issue)
    {
        if (input is null)
        {
            return 0;
        }

        if (input is JsonValue v)
        {
            switch (v.GetValueKind())
            {
                case JsonValueKind.Number:
                    return Num(v);
                case JsonValueKind.True:
                    return 1;
                case JsonValueKind.False or JsonValueKind.Null:
                    return 0;
                case JsonValueKind.String:
                    var s = v.GetValue<string>().Trim();
                    if (s.Length == 0)
                    {
                        return 0;
                    }

                    if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
                    {
                        return d;
                    }

                    break;
            }
        }

        issue = FieldIssue.Invalid("Must be a number.");
        return 0;
    }

    private static bool ToBool(JsonNode? input, ref FieldIssue? issue)
    {
        if (input is null)
        {
            return false;
        }

        if (input is JsonValue v)
        {
            switch (v.GetValueKind())
            {
                case JsonValueKind.True:
                    return true;
                case JsonValueKind.False or JsonValueKind.Null:
                    return false;
                case JsonValueKind.Number:
                    return Num(v) != 0;
                case JsonValueKind.String:
                    switch (v.GetValue<string>().Trim().ToLowerInvariant())
                    {
                        case "true" or "1" or "t":
                            return true;
                        case "false" or "0" or "f" or "":
                            return false;
                    }

                    break;
            }
        }

        issue = FieldIssue.Invalid("Must be a boolean.");
        return false;
    }

    private static string ToDate(JsonNode? input, ref FieldIssue? issue)
    {
        if (input is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
        {
            var seconds = Num(v);
            if (seconds is >= -62135596800 and <= 253402300799)
            {
                return DateFormat.Format(DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000)));
            }
        }
        else
        {
            var text = ToText(input, ref issue);
            if (issue is not null || text.Trim().Length == 0)
            {
                return "";
            }

            if (DateFormat.TryParse(text, out var parsed))
            {
                return DateFormat.Format(parsed);
            }
        }

        issue = new FieldIssue("validation_invalid_date", "Must be a valid date.");
        return "";
    }

    /// <summary>
    /// Plain strings are normalised so JSON and form bodies behave alike: <c>true/false/null</c>, numbers, arrays, objects
    /// and quoted strings are parsed; any other string (the empty string too) is kept as a JSON string.
    /// </summary>
    private static JsonNode? ToJson(JsonNode? input)
    {
        if (input is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            var s = v.GetValue<string>();
            if (s is "null")
            {
                return null;
            }

            if (s is "true" or "false" || (s.Length > 0 && (char.IsAsciiDigit(s[0]) || s[0] is '-' or '"' or '[' or '{')))
            {
                try
                {
                    return JsonNode.Parse(s);
                }
                catch (JsonException)
                {
                }
            }

            return JsonValue.Create(s);
        }

        return input?.DeepClone() is { } clone && !(clone is JsonValue n && n.GetValueKind() == JsonValueKind.Null) ? clone : null;
    }

    private static JsonObject ToGeoPoint(JsonNode? input, ref FieldIssue? issue)
    {
        if (input is JsonValue s && s.GetValueKind() == JsonValueKind.String)
        {
            var text = s.GetValue<string>();
            if (text.Length == 0)
            {
                return new JsonObject { ["lon"] = 0d, ["lat"] = 0d };
            }

            try
            {
                input = JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                input = s;
            }
        }

        switch (input)
        {
            case null:
                return new JsonObject { ["lon"] = 0d, ["lat"] = 0d };
            case JsonValue n when n.GetValueKind() == JsonValueKind.Null:
                return new JsonObject { ["lon"] = 0d, ["lat"] = 0d };
            case JsonObject o when IsNumberOrMissing(o, "lon") && IsNumberOrMissing(o, "lat"):
                return new JsonObject { ["lon"] = Coordinate(o, "lon"), ["lat"] = Coordinate(o, "lat") };
        }

        issue = FieldIssue.Invalid("Must be an object with numeric lon and lat.");
        return new JsonObject { ["lon"] = 0d, ["lat"] = 0d };
    }

    private static bool IsNumberOrMissing(JsonObject o, string key) =>
        !o.TryGetPropertyValue(key, out var node) || node is null || (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number);

    public static double Coordinate(JsonObject o, string key) =>
        o.TryGetPropertyValue(key, out var node) && node is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? Num(v) : 0;

    /// <summary>The JSON form of a canonical value, as <c>@request.body</c> and the serializer see it.</summary>
    public static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        double d => JsonValue.Create(d),
        bool b => JsonValue.Create(b),
        List<string> l => new JsonArray(l.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray()),
        JsonNode n => n.DeepClone(),
        _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };

    /// <summary>Reads a JSON number whatever CLR type backs it (parsed element, int, long, double, decimal).</summary>
    public static double Num(JsonValue v) =>
        v.TryGetValue<double>(out var d) ? d
        : v.TryGetValue<long>(out var l) ? l
        : v.TryGetValue<int>(out var i) ? i
        : v.TryGetValue<decimal>(out var m) ? (double)m
        : v.TryGetValue<float>(out var f) ? f
        : 0;
}
