using System.Text.Json.Nodes;
using Basalt.Model;

namespace Basalt.OpenApi;

/// <summary>
/// The JSON schema of a field's value (§2.5), as it is read (<see cref="Read"/>) and as it is written in a JSON or a
/// multipart body (<see cref="Write"/>). Empty values are values (<c>""</c>, <c>0</c>, <c>[]</c>), so formats are only
/// claimed for required fields, and Go regular expressions (<c>pattern</c>) go into the description, not the schema.
/// </summary>
internal static class FieldSchemas
{
    private const string DateFormat = "A UTC date as `YYYY-MM-DD HH:MM:SS.sssZ`, or \"\" when empty.";

    public static JsonObject Read(Field field, Func<string, string> collectionName) => Schema(field, collectionName, multipart: false);

    public static JsonObject Write(Field field, Func<string, string> collectionName, bool multipart) => Schema(field, collectionName, multipart);

    private static JsonObject Schema(Field field, Func<string, string> collectionName, bool multipart)
    {
        var schema = field.Type switch
        {
            FieldType.Number => Number(field),
            FieldType.Bool => OpenApiJson.Type("boolean"),
            FieldType.Email => Text(field, field.Required ? "email" : null, "An email address."),
            FieldType.Url => Text(field, field.Required ? "uri" : null, "A URL."),
            FieldType.Editor => OpenApiJson.Type("string", "Rich text (HTML)."),
            FieldType.Date => Example(OpenApiJson.Type("string", DateFormat), "2024-01-02 03:04:05.000Z"),
            FieldType.Autodate => ReadOnly(OpenApiJson.Type("string", DateFormat + " Set by the server" + Stamps(field) + ".")),
            FieldType.Select => Multiple(field, Select(field)),
            FieldType.Json => new JsonObject { ["description"] = "Any JSON value (null when empty)." },
            FieldType.File => Multiple(field, File(field, multipart)),
            FieldType.Relation => Multiple(field, OpenApiJson.Type("string", "The id of a record of `" + collectionName(field.CollectionId ?? "") + "`.")),
            FieldType.Password => WriteOnly(Password(field)),
            FieldType.GeoPoint => OpenApiJson.Object(
                [("lon", OpenApiJson.Type("number")), ("lat", OpenApiJson.Type("number"))], ["lon", "lat"], "A point; `{lon: 0, lat: 0}` when empty."),
            _ => Text(field, null, null),
        };

        var notes = new List<string>();
        if (field.GetString("help") is { Length: > 0 } help)
        {
            notes.Add(help);
        }

        if (field.Hidden && field.Type != FieldType.Password)
        {
            notes.Add("Hidden: only superusers read or filter it.");
        }

        if (notes.Count > 0)
        {
            schema["description"] = string.Join(' ', new[] { schema["description"]?.GetValue<string>() }.Concat(notes).Where(n => !string.IsNullOrEmpty(n)));
        }

        return schema;
    }

    private static JsonObject Text(Field field, string? format, string? description)
    {
        var schema = OpenApiJson.Type("string", description);
        if (format is not null)
        {
            schema["format"] = format;
        }

        if (field.Type == FieldType.Text)
        {
            var max = (int)(field.GetNumber("max") ?? 0);
            schema["maxLength"] = max > 0 ? max : 5000;
            if (field.GetNumber("min") is > 0 and var min)
            {
                schema["minLength"] = (int)min;
            }

            var notes = new List<string>();
            if (field.GetString("pattern") is { Length: > 0 } pattern)
            {
                notes.Add($"Must match the regular expression `{pattern}`.");
            }

            if (field.GetString("autogeneratePattern") is { Length: > 0 } generated)
            {
                notes.Add($"Generated from `{generated}` when left empty on create.");
            }

            if (notes.Count > 0)
            {
                schema["description"] = string.Join(' ', notes);
            }
        }

        return schema;
    }

    private static JsonObject Number(Field field)
    {
        var schema = OpenApiJson.Type(field.GetBool("onlyInt") ? "integer" : "number");
        if (field.GetNumber("min") is { } min)
        {
            schema["minimum"] = min;
        }

        if (field.GetNumber("max") is { } max)
        {
            schema["maximum"] = max;
        }

        return schema;
    }

    private static JsonObject Select(Field field)
    {
        var values = field.GetStrings("values").Select(v => (JsonNode)v).ToList();
        if (!field.Required && !field.IsMultiple)
        {
            values.Add("");
        }

        return new JsonObject { ["type"] = "string", ["enum"] = new JsonArray([.. values]) };
    }

    private static JsonObject File(Field field, bool multipart)
    {
        var schema = multipart
            ? new JsonObject { ["type"] = "string", ["format"] = "binary" }
            : OpenApiJson.Type("string", "A stored file name; download it from `/api/files/{collection}/{recordId}/{filename}`.");
        var limits = new List<string> { $"At most {(field.GetNumber("maxSize") is > 0 and var size ? size : 5 << 20)} bytes per file." };
        if (field.GetStrings("mimeTypes") is { Count: > 0 } types)
        {
            limits.Add("Types: " + string.Join(", ", types) + ".");
        }

        if (field.GetBool("protected"))
        {
            limits.Add("Protected: downloads need `?token=` from `POST /api/files/token`.");
        }

        schema["description"] = string.Join(' ', new[] { schema["description"]?.GetValue<string>() }.Concat(limits).Where(n => !string.IsNullOrEmpty(n)));
        return schema;
    }

    private static JsonObject Password(Field field)
    {
        var schema = OpenApiJson.Type("string", "Never returned.");
        if (field.GetNumber("min") is > 0 and var min)
        {
            schema["minLength"] = (int)min;
        }

        if (field.GetNumber("max") is > 0 and var max)
        {
            schema["maxLength"] = (int)max;
        }

        return schema;
    }

    private static JsonObject Multiple(Field field, JsonObject item)
    {
        if (!field.IsMultiple)
        {
            return item;
        }

        var description = item["description"]?.GetValue<string>();
        item.Remove("description");
        var schema = new JsonObject { ["type"] = "array", ["items"] = item, ["maxItems"] = field.MaxSelect };
        if (description is not null)
        {
            schema["description"] = description;
        }

        return schema;
    }

    private static string Stamps(Field field) =>
        (field.GetBool("onCreate"), field.GetBool("onUpdate")) switch
        {
            (true, true) => " on create and update",
            (true, false) => " on create",
            (false, true) => " on update",
            _ => "",
        };

    private static JsonObject Example(JsonObject schema, string example)
    {
        schema["examples"] = new JsonArray(example);
        return schema;
    }

    private static JsonObject ReadOnly(JsonObject schema)
    {
        schema["readOnly"] = true;
        return schema;
    }

    private static JsonObject WriteOnly(JsonObject schema)
    {
        schema["writeOnly"] = true;
        return schema;
    }
}
