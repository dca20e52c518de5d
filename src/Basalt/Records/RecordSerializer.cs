using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Basalt.Common;
using Basalt.Model;
using Basalt.Query;

namespace Basalt.Records;

/// <summary>
/// Writes a record's public JSON straight to a <see cref="Utf8JsonWriter"/>: every visible field, <c>collectionId</c>,
/// <c>collectionName</c> and <c>expand</c> when expansion was asked for. Passwords and token keys never leave; hidden
/// fields only for superusers; an auth record's email only when visible, or to a superuser, the owner or a manager.
/// </summary>
public static class RecordSerializer
{
    public static void Write(Utf8JsonWriter writer, Record record, RequestInfo request)
    {
        var collection = record.Collection;
        writer.WriteStartObject();
        var showEmail = !collection.IsAuth || request.IsSuperuser || IsOwner(record, request) || record.Managed || record.Get("emailVisibility") is true;
        foreach (var field in collection.Fields)
        {
            if (!IsVisible(collection, field, request.IsSuperuser, showEmail))
            {
                continue;
            }

            writer.WritePropertyName(field.Name);
            WriteValue(writer, field, record.Get(field.Name));
        }

        writer.WriteString("collectionId", collection.Id);
        writer.WriteString("collectionName", collection.Name);
        if (record.Expand is { } expand)
        {
            writer.WriteStartObject("expand");
            foreach (var (key, value) in expand)
            {
                writer.WritePropertyName(key);
                switch (value)
                {
                    case Record one:
                        Write(writer, one, request);
                        break;
                    case IEnumerable<Record> many:
                        writer.WriteStartArray();
                        foreach (var item in many)
                        {
                            Write(writer, item, request);
                        }

                        writer.WriteEndArray();
                        break;
                    default:
                        writer.WriteNullValue();
                        break;
                }
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static bool IsOwner(Record record, RequestInfo request) =>
        request.Auth is { } auth && auth.Collection.Id == record.Collection.Id && auth.Id == record.Id;

    private static bool IsVisible(Collection collection, Field field, bool superuser, bool showEmail)
    {
        if (collection.IsAuth)
        {
            if (field.Type == FieldType.Password || field.Name == "tokenKey")
            {
                return false;
            }

            if (field.Name == "email" && !showEmail)
            {
                return false;
            }
        }

        return field.Type != FieldType.Password && (superuser || !field.Hidden);
    }

    private static void WriteValue(Utf8JsonWriter writer, Field field, object? value)
    {
        switch (value)
        {
            case null when field.Type == FieldType.Json:
                writer.WriteNullValue();
                break;
            case null:
                WriteValue(writer, field, FieldEmptyValue.Of(field));
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
            case List<string> list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    writer.WriteStringValue(item);
                }

                writer.WriteEndArray();
                break;
            case JsonNode node:
                node.WriteTo(writer);
                break;
            case DateTime dt:
                writer.WriteStringValue(DateFormat.Format(dt));
                break;
            case DateTimeOffset dto:
                writer.WriteStringValue(DateFormat.Format(dto));
                break;
            case long or int or decimal or float:
                writer.WriteNumberValue(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
