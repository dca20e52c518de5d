using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Basalt.Model;
using Basalt.Storage.Schema;

namespace Basalt.Storage;

/// <summary>
/// The value conversions both dialects share: canonical values to JSON text, and whatever a driver returns for a column
/// (SQLite: long, double, string; PostgreSQL: double, bool, string for jsonb) back to the canonical CLR value.
/// </summary>
internal static class ValueConversion
{
    public static readonly JsonObject EmptyGeoPoint = new() { ["lon"] = 0, ["lat"] = 0 };

    /// <summary>The JSON text of a multiple value or a json value; null when <paramref name="value"/> is neither.</summary>
    public static string? ToJsonText(object value)
    {
        switch (value)
        {
            case JsonNode node:
                return node.ToJsonString();
            case IEnumerable<string> items when value is not string:
                var buffer = new ArrayBufferWriter<byte>(64);
                using (var writer = new Utf8JsonWriter(buffer))
                {
                    writer.WriteStartArray();
                    foreach (var item in items)
                    {
                        writer.WriteStringValue(item);
                    }

                    writer.WriteEndArray();
                }

                return Encoding.UTF8.GetString(buffer.WrittenSpan);
            default:
                return null;
        }
    }

    public static object? FromDb(Field field, object? value) => FromDb(ColumnKinds.Of(field), value);

    public static object? FromDb(ColumnKind kind, object? value)
    {
        if (value is null or DBNull)
        {
            return Empty(kind);
        }

        return kind switch
        {
            ColumnKind.PrimaryKey or ColumnKind.Text => value switch
            {
                string s => s,
                bool b => b ? "true" : "false",
                double d => d.ToString("R", CultureInfo.InvariantCulture),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString() ?? "",
            },
            ColumnKind.Number => value switch
            {
                double d => d,
                long l => l,
                int i => i,
                decimal m => (double)m,
                float f => f,
                bool b => b ? 1d : 0d,
                string s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : 0d,
                _ => Convert.ToDouble(value, CultureInfo.InvariantCulture),
            },
            ColumnKind.Bool => value switch
            {
                bool b => b,
                long l => l != 0,
                int i => i != 0,
                double d => d != 0,
                string s => s is "1" || s.Equals("true", StringComparison.OrdinalIgnoreCase),
                _ => Convert.ToBoolean(value, CultureInfo.InvariantCulture),
            },
            ColumnKind.JsonArray => ToStringList(value),
            ColumnKind.Json => ToJsonNode(value),
            ColumnKind.GeoPoint => ToJsonNode(value) ?? EmptyGeoPoint.DeepClone(),
            _ => value,
        };
    }

    public static object? Empty(ColumnKind kind) => kind switch
    {
        ColumnKind.PrimaryKey or ColumnKind.Text => "",
        ColumnKind.Number => 0d,
        ColumnKind.Bool => false,
        ColumnKind.JsonArray => new List<string>(),
        ColumnKind.GeoPoint => EmptyGeoPoint.DeepClone(),
        _ => null,
    };

    private static List<string> ToStringList(object value)
    {
        if (value is not string text)
        {
            return [Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""];
        }

        if (text.Length == 0)
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(text) switch
            {
                JsonArray a => a.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : n?.ToJsonString() ?? "").ToList(),
                JsonValue v when v.TryGetValue<string>(out var s) => s.Length == 0 ? [] : [s],
                null => [],
                var other => [other.ToJsonString()],
            };
        }
        catch (JsonException)
        {
            // A value written before the field became multiple (or by hand): keep it as the single item it is.
            return [text];
        }
    }

    private static JsonNode? ToJsonNode(object value)
    {
        switch (value)
        {
            case string text:
                try
                {
                    return JsonNode.Parse(text);
                }
                catch (JsonException)
                {
                    return JsonValue.Create(text);
                }

            case long l:
                return JsonValue.Create(l);
            case double d:
                return JsonValue.Create(d);
            case bool b:
                return JsonValue.Create(b);
            default:
                return JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture));
        }
    }
}
