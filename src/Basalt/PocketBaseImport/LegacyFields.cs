using System.Text.Json.Nodes;
using Basalt.Model;

namespace Basalt.PocketBaseImport;

/// <summary>
/// One v0.22 schema field (<c>{id, name, type, system, required, presentable, options: {...}}</c>) as a v0.23+ field
/// with its options flattened and renamed as PocketBase's upgrade renames them (<c>noDecimal</c> → <c>onlyInt</c>,
/// <c>convertUrls</c> → <c>convertURLs</c>, an unbounded relation's <c>maxSelect</c> → 2147483647). A type this does not
/// know keeps its options as they are, for the validator to judge.
/// </summary>
internal static class LegacyFields
{
    public static JsonObject Convert(JsonObject legacy)
    {
        var type = Loose.Text(legacy["type"]);
        var options = legacy["options"] as JsonObject ?? [];
        var field = new JsonObject
        {
            ["id"] = Loose.Text(legacy["id"]),
            ["name"] = Loose.Text(legacy["name"]),
            ["type"] = type,
            ["system"] = Loose.Bool(legacy["system"]),
            ["hidden"] = false,
            ["presentable"] = Loose.Bool(legacy["presentable"]),
            ["required"] = Loose.Bool(legacy["required"]),
        };
        switch (type)
        {
            case FieldType.Text:
                field["min"] = Loose.Integer(options["min"]);
                field["max"] = Loose.Integer(options["max"]);
                field["pattern"] = Loose.Text(options["pattern"]);
                field["autogeneratePattern"] = Loose.Text(options["autogeneratePattern"]);
                field["primaryKey"] = false;
                break;
            case FieldType.Number:
                field["onlyInt"] = Loose.Bool(options["noDecimal"]);
                field["min"] = Loose.NumberOrNull(options["min"]);
                field["max"] = Loose.NumberOrNull(options["max"]);
                break;
            case FieldType.Email or FieldType.Url:
                field["exceptDomains"] = Loose.Strings(options["exceptDomains"]);
                field["onlyDomains"] = Loose.Strings(options["onlyDomains"]);
                break;
            case FieldType.Editor:
                field["convertURLs"] = Loose.Bool(options["convertUrls"]);
                break;
            case FieldType.Date:
                field["min"] = Loose.Text(options["min"]);
                field["max"] = Loose.Text(options["max"]);
                break;
            case FieldType.Select:
                field["values"] = Loose.Strings(options["values"]);
                field["maxSelect"] = Loose.Integer(options["maxSelect"]);
                break;
            case FieldType.Json:
                field["maxSize"] = Loose.Integer(options["maxSize"]);
                break;
            case FieldType.Relation:
                var maxSelect = Loose.Integer(options["maxSelect"]);
                field["collectionId"] = Loose.Text(options["collectionId"]);
                field["cascadeDelete"] = Loose.Bool(options["cascadeDelete"]);
                field["minSelect"] = Loose.Integer(options["minSelect"]);
                field["maxSelect"] = maxSelect <= 0 ? int.MaxValue : maxSelect;
                break;
            case FieldType.File:
                field["maxSelect"] = Loose.Integer(options["maxSelect"]);
                field["maxSize"] = Loose.Integer(options["maxSize"]);
                field["thumbs"] = Loose.Strings(options["thumbs"]);
                field["mimeTypes"] = Loose.Strings(options["mimeTypes"]);
                field["protected"] = Loose.Bool(options["protected"]);
                break;
            case FieldType.Bool:
                break;
            default:
                foreach (var (key, value) in options)
                {
                    field[key] = value?.DeepClone();
                }

                break;
        }

        return field;
    }
}
