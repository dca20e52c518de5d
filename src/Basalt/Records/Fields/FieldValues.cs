using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Basalt.Common;
using Basalt.Model;

namespace Basalt.Records.Fields;

/// <summary>
/// Turns submitted JSON values (from a JSON body or an inferred form) into the canonical CLR value of each field type,
/// and knows each type's empty value. Mistyped values are coerced as PocketBase's casts coerce them, never refused.
/// </summary>
internal static class FieldValues
{
    /// <summary>The ids a relation (or select/file) value holds, whatever its arity.</summary>
    public static IReadOnlyList<string> Items(object? value) => value switch
    {
        List<string> l => l,
        string s when s.Length > 0 => [s],
        _ => [],
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

    /// <summary>
    /// Converts <paramref name="input"/> for <paramref name="field"/> as PocketBase's casts do: a mistyped value is
    /// coerced (to 0, false, "" or an empty list), never refused; only a geo point can set <paramref name="issue"/>.
    /// </summary>
    public static object? Normalize(Field field, JsonNode? input, out FieldIssue? issue)
    {
        issue = null;
        switch (field.Type)
        {
            case FieldType.Number:
                return ToNumber(input);
            case FieldType.Bool:
                return ToBool(input);
            case FieldType.Date or FieldType.Autodate:
                return ToDate(input);
            case FieldType.Json:
                return ToJson(input);
            case FieldType.GeoPoint:
                return ToGeoPoint(input, ref issue);
            case FieldType.Select or FieldType.Relation or FieldType.File when field.IsMultiple:
                return ToStringList(input, MaxItems(field));
            case FieldType.Select or FieldType.Relation or FieldType.File:
                // a single-value field keeps the last submitted value, as PocketBase does
                var list = ToStringList(input);
                return list.Count == 0 ? "" : list[^1];
            default:
                return ToText(input);
        }
    }

    /// <summary>
    /// How many distinct values of a multiple field are worth collecting: one more than <c>maxSelect</c> is enough for
    /// validation to refuse the list, so a huge submitted array costs no more than its parsing.
    /// </summary>
    public static int MaxItems(Field field) => Math.Max(field.MaxSelect, 1) + 1;

    /// <summary>Go's <c>cast.ToString</c>: scalars print as text, null and anything structured is "".</summary>
    public static string ToText(JsonNode? input)
    {
        if (input is not JsonValue v)
        {
            return "";
        }

        return v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.Number => FormatNumber(Num(v)),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => "",
        };
    }

    /// <summary>A number as Go's <c>strconv.FormatFloat(f, 'f', -1, 64)</c> prints it: shortest digits, never an exponent.</summary>
    public static string FormatNumber(double d)
    {
        var r = d.ToString("R", CultureInfo.InvariantCulture);
        var e = r.IndexOf('E', StringComparison.Ordinal);
        if (e < 0 || !double.IsFinite(d))
        {
            return r;
        }

        var negative = r[0] == '-';
        var mantissa = r[(negative ? 1 : 0)..e];
        var exponent = int.Parse(r[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = dot < 0 ? mantissa : mantissa.Remove(dot, 1);
        var point = (dot < 0 ? mantissa.Length : dot) + exponent;
        var text = point <= 0 ? "0." + new string('0', -point) + digits
            : point >= digits.Length ? digits + new string('0', point - digits.Length)
            : digits[..point] + "." + digits[point..];
        return negative ? "-" + text : text;
    }

    /// <summary>
    /// PocketBase's <c>list.ToUniqueStringSlice</c>: the distinct non-empty strings of a list (items that are not scalars
    /// count as empty), of a string holding a JSON array of strings, or of one scalar. Stops after
    /// <paramref name="limit"/> distinct values.
    /// </summary>
    public static List<string> ToStringList(JsonNode? input, int limit = int.MaxValue)
    {
        var result = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(string value)
        {
            if (value.Length > 0 && seen.Add(value))
            {
                result.Add(value);
            }
        }

        switch (input)
        {
            case JsonArray array:
                foreach (var item in array)
                {
                    Add(ToText(item));
                    if (result.Count >= limit)
                    {
                        break;
                    }
                }

                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                var s = v.GetValue<string>();
                if (s.Contains('[', StringComparison.Ordinal) && TryParseStrings(s) is { } parsed)
                {
                    foreach (var item in parsed)
                    {
                        Add(item);
                        if (result.Count >= limit)
                        {
                            break;
                        }
                    }
                }
                else
                {
                    Add(s);
                }

                break;
            case JsonValue:
                Add(ToText(input));
                break;
        }

        return result;
    }

    /// <summary>A JSON array of strings (Go unmarshals nothing else into a <c>[]string</c>), or null.</summary>
    private static List<string>? TryParseStrings(string s)
    {
        try
        {
            using var document = JsonDocument.Parse(Common.JsonEscapes.Sanitize(s));
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var items = new List<string>();
            foreach (var item in document.RootElement.EnumerateArray())
            {
                switch (item.ValueKind)
                {
                    case JsonValueKind.String:
                        items.Add(item.GetString()!);
                        break;
                    case JsonValueKind.Null:
                        items.Add("");
                        break;
                    default:
                        return null;
                }
            }

            return items;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Go's <c>cast.ToFloat64</c>: numbers, booleans as 1/0, strings only when <c>strconv.ParseFloat</c> reads all of them, else 0.</summary>
    private static double ToNumber(JsonNode? input)
    {
        if (input is not JsonValue v)
        {
            return 0;
        }

        switch (v.GetValueKind())
        {
            case JsonValueKind.Number:
                return Num(v);
            case JsonValueKind.True:
                return 1;
            case JsonValueKind.String:
                var s = v.GetValue<string>();
                var unsigned = s.Length > 0 && s[0] is '+' or '-' ? s[1..] : s;
                if (unsigned.Equals("inf", StringComparison.OrdinalIgnoreCase) || unsigned.Equals("infinity", StringComparison.OrdinalIgnoreCase))
                {
                    return s[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity;
                }

                if (unsigned.Equals("nan", StringComparison.OrdinalIgnoreCase))
                {
                    return double.NaN;
                }

                return unsigned.Length > 0 && (char.IsAsciiDigit(unsigned[0]) || unsigned[0] == '.') &&
                    double.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
                    ? d
                    : 0;
            default:
                return 0;
        }
    }

    /// <summary>Go's <c>cast.ToBool</c>: a non-zero number, or a string <c>strconv.ParseBool</c> reads as true ("1", "t", "T", "TRUE", "true", "True").</summary>
    private static bool ToBool(JsonNode? input)
    {
        if (input is not JsonValue v)
        {
            return false;
        }

        return v.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.Number => Num(v) != 0,
            JsonValueKind.String => v.GetValue<string>() is "1" or "t" or "T" or "TRUE" or "true" or "True",
            _ => false,
        };
    }

    /// <summary>A date string in any layout PocketBase reads, normalised to UTC; anything else (numbers too, as in PocketBase) is "".</summary>
    private static string ToDate(JsonNode? input)
    {
        if (input is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
        {
            return "";
        }

        var text = v.GetValue<string>();
        return text.Trim().Length > 0 && DateFormat.TryParse(text, out var parsed) ? DateFormat.Format(parsed) : "";
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
