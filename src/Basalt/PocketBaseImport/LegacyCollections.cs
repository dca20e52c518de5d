using System.Text.Json.Nodes;
using Basalt.Collections;
using Basalt.Model;
using Basalt.Storage.Schema;

namespace Basalt.PocketBaseImport;

/// <summary>
/// Turns a PocketBase v0.22 <c>_collections</c> row (<c>schema</c> with nested <c>options</c>, auth settings in
/// <c>options</c>, token secrets and OAuth2 providers in the app settings) into the v0.23+ collection JSON Basalt reads,
/// the same way PocketBase's own v0.23 upgrade does: the implicit system fields become real fields (<c>id</c>; for auth
/// <c>password</c>, <c>tokenKey</c>, <c>email</c>, <c>emailVisibility</c>, <c>verified</c>, <c>username</c>;
/// <c>created</c> and <c>updated</c> as autodate fields), the settings' token secrets move into every auth collection,
/// and rules say <c>@request.body</c> where they said <c>@request.data</c>.
/// </summary>
internal static class LegacyCollections
{
    public static JsonObject Convert(IReadOnlyDictionary<string, object?> row, JsonObject? settings, IReadOnlyList<string> viewColumns, List<ImportNote> notes)
    {
        var id = Loose.Column(row, "id");
        var name = Loose.Column(row, "name");
        var type = Loose.Column(row, "type");
        var options = Loose.Parse(row.GetValueOrDefault("options")) as JsonObject ?? [];
        var fields = new JsonArray(IdField());
        if (type == CollectionType.Auth)
        {
            foreach (var field in AuthFields(options))
            {
                fields.Add((JsonNode?)field);
            }
        }

        if (Loose.Parse(row.GetValueOrDefault("schema")) is JsonArray schema)
        {
            foreach (var field in schema.OfType<JsonObject>())
            {
                fields.Add((JsonNode?)LegacyFields.Convert(field));
            }
        }

        var isView = type == CollectionType.View;
        if (!isView || viewColumns.Contains("created", StringComparer.OrdinalIgnoreCase))
        {
            fields.Add((JsonNode?)Autodate("created", onUpdate: false));
        }

        if (!isView || viewColumns.Contains("updated", StringComparer.OrdinalIgnoreCase))
        {
            fields.Add((JsonNode?)Autodate("updated", onUpdate: true));
        }

        var indexes = Loose.Strings(Loose.Parse(row.GetValueOrDefault("indexes")));
        var json = new JsonObject
        {
            ["id"] = id,
            ["name"] = name,
            ["type"] = type,
            ["system"] = Loose.ColumnBool(row, "system"),
            ["listRule"] = Loose.Rule(row.GetValueOrDefault("listRule")),
            ["viewRule"] = Loose.Rule(row.GetValueOrDefault("viewRule")),
            ["createRule"] = Loose.Rule(row.GetValueOrDefault("createRule")),
            ["updateRule"] = Loose.Rule(row.GetValueOrDefault("updateRule")),
            ["deleteRule"] = Loose.Rule(row.GetValueOrDefault("deleteRule")),
            ["fields"] = fields,
            ["indexes"] = indexes,
            ["created"] = Loose.Column(row, "created"),
            ["updated"] = Loose.Column(row, "updated"),
        };
        if (isView)
        {
            json["viewQuery"] = Loose.Text(options["query"]);
        }

        if (type == CollectionType.Auth)
        {
            // PocketBase v0.22 kept these three unique indexes outside the collection's own list.
            indexes.Insert(0, Unique($"_{id}_username_idx", name, "username", noCase: true, where: null));
            indexes.Insert(1, Unique($"_{id}_email_idx", name, "email", noCase: false, where: "`email` != ''"));
            indexes.Insert(2, Unique($"_{id}_tokenKey_idx", name, "tokenKey", noCase: false, where: null));
            foreach (var (key, value) in LegacySettings.AuthOptions(options, settings, name, notes))
            {
                json[key] = value;
            }
        }

        return json;
    }

    private static string Unique(string index, string table, string column, bool noCase, string? where) =>
        new IndexDefinition(index, true, table, [new IndexColumn(column, noCase, false)], where).ToPocketBaseString(table);

    private static JsonObject IdField() => Field(FieldType.Text, "id", system: true, hidden: false, new JsonObject
    {
        ["required"] = true,
        ["primaryKey"] = true,
        ["min"] = 15,
        ["max"] = 15,
        ["pattern"] = "^[a-z0-9]+$",
        ["autogeneratePattern"] = "[a-z0-9]{15}",
    });

    private static IEnumerable<JsonObject> AuthFields(JsonObject options)
    {
        yield return Field(FieldType.Password, "password", system: true, hidden: true, new JsonObject
        {
            ["required"] = true,
            ["min"] = Loose.Integer(options["minPasswordLength"]),
            ["cost"] = 10,
        });
        yield return Field(FieldType.Text, "tokenKey", system: true, hidden: true, new JsonObject
        {
            ["required"] = true,
            ["min"] = 30,
            ["max"] = 60,
            ["autogeneratePattern"] = "[a-zA-Z0-9_]{50}",
        });
        yield return Field(FieldType.Email, "email", system: true, hidden: false, new JsonObject
        {
            ["required"] = Loose.Bool(options["requireEmail"]),
            ["exceptDomains"] = Loose.Strings(options["exceptEmailDomains"]),
            ["onlyDomains"] = Loose.Strings(options["onlyEmailDomains"]),
        });
        yield return Field(FieldType.Bool, "emailVisibility", system: true, hidden: false, []);
        yield return Field(FieldType.Bool, "verified", system: true, hidden: false, []);
        yield return Field(FieldType.Text, "username", system: false, hidden: false, new JsonObject
        {
            ["required"] = true,
            ["min"] = 3,
            ["max"] = 150,
            ["pattern"] = @"^[\w][\w\.\-]*$",
            ["autogeneratePattern"] = "users[0-9]{6}",
        });
    }

    private static JsonObject Autodate(string name, bool onUpdate) =>
        Field(FieldType.Autodate, name, system: false, hidden: false, new JsonObject { ["onCreate"] = true, ["onUpdate"] = onUpdate });

    private static JsonObject Field(string type, string name, bool system, bool hidden, JsonObject options)
    {
        var field = new JsonObject
        {
            ["id"] = CollectionIds.ForField(type, name, _ => false),
            ["name"] = name,
            ["type"] = type,
            ["system"] = system,
            ["hidden"] = hidden,
            ["presentable"] = false,
        };
        foreach (var (key, value) in options.ToList())
        {
            options.Remove(key);
            field[key] = value;
        }

        return field;
    }
}
