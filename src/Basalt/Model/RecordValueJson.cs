using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Basalt.Model;

/// <summary>
/// Writes one stored value of a <see cref="Record"/> (text, number, bool, list of strings or JSON) as JSON, as the
/// change log and the PocketBase export keep it: no field-specific empty values, unlike the API's serializer.
/// </summary>
public static class RecordValueJson
{
    public static void Write(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case double d:
                writer.WriteNumberValue(double.IsFinite(d) ? d : 0);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case JsonNode node:
                node.WriteTo(writer);
                break;
            case IEnumerable<string> items:
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    writer.WriteStringValue(item);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
