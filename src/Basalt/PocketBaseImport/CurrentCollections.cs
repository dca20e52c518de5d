using System.Text.Json.Nodes;
using Basalt.Model;

namespace Basalt.PocketBaseImport;

/// <summary>
/// A PocketBase v0.23+ <c>_collections</c> row as the collection JSON of the API: the row already holds <c>fields</c>
/// in their wire form, and its <c>options</c> column (the auth options, or a view's <c>viewQuery</c>) is flattened to
/// the top level, as PocketBase serialises it. Secrets stay in.
/// </summary>
internal static class CurrentCollections
{
    private static readonly string[] RuleKeys = ["listRule", "viewRule", "createRule", "updateRule", "deleteRule"];

    public static JsonObject Convert(IReadOnlyDictionary<string, object?> row)
    {
        var json = new JsonObject
        {
            ["id"] = Loose.Column(row, "id"),
            ["name"] = Loose.Column(row, "name"),
            ["type"] = Loose.Column(row, "type"),
            ["system"] = Loose.ColumnBool(row, "system"),
            ["fields"] = Loose.Parse(row.GetValueOrDefault("fields")) as JsonArray ?? [],
            ["indexes"] = Loose.Strings(Loose.Parse(row.GetValueOrDefault("indexes"))),
            ["created"] = Loose.Column(row, "created"),
            ["updated"] = Loose.Column(row, "updated"),
        };
        foreach (var key in RuleKeys)
        {
            json[key] = row.GetValueOrDefault(key) as string;
        }

        var options = Loose.Parse(row.GetValueOrDefault("options")) as JsonObject ?? [];
        if (Loose.Column(row, "type") == CollectionType.View)
        {
            json["viewQuery"] = Loose.Text(options["viewQuery"]);
        }
        else
        {
            foreach (var (key, value) in options.ToList())
            {
                options.Remove(key);
                json[key] = value;
            }
        }

        return json;
    }
}
