using System.Text.Json;
using System.Text.Json.Nodes;
using Basalt.Common;
using Basalt.Errors;
using Basalt.Model;

namespace Basalt.Collections;

/// <summary>
/// The wire JSON of a collection (§2.2): common keys, <c>fields</c> with their options flattened, <c>viewQuery</c> for views
/// and the auth options flattened at the top level for auth collections. Reading is strict about JSON types (an error
/// names the key) and ignores unknown keys.
/// </summary>
public static class CollectionJson
{
    private const string TypeCode = "validation_invalid_type";

    private static readonly string[] RuleKeys = ["listRule", "viewRule", "createRule", "updateRule", "deleteRule"];

    /// <summary>The public JSON of a collection; secrets are never included.</summary>
    public static JsonObject Write(Collection collection) => Write(collection, includeSecrets: false);

    internal static JsonObject Write(Collection collection, bool includeSecrets)
    {
        var json = new JsonObject
        {
            ["id"] = collection.Id,
            ["name"] = collection.Name,
            ["type"] = collection.Type,
            ["system"] = collection.System,
            ["listRule"] = collection.ListRule,
            ["viewRule"] = collection.ViewRule,
            ["createRule"] = collection.CreateRule,
            ["updateRule"] = collection.UpdateRule,
            ["deleteRule"] = collection.DeleteRule,
            ["fields"] = new JsonArray(collection.Fields.Select(f => (JsonNode)WriteField(f)).ToArray()),
            ["indexes"] = new JsonArray(collection.Indexes.Select(i => (JsonNode)JsonValue.Create(i)).ToArray()),
            ["created"] = collection.Created,
            ["updated"] = collection.Updated,
        };
        if (collection.IsView)
        {
            json["viewQuery"] = collection.ViewQuery ?? "";
        }

        if (collection.IsAuth)
        {
            var options = (JsonObject)collection.Options.DeepClone();
            if (!includeSecrets)
            {
                AuthOptions.StripSecrets(options);
            }

            foreach (var key in AuthOptions.Keys)
            {
                if (options.TryGetPropertyValue(key, out var value))
                {
                    options.Remove(key);
                    json[key] = value;
                }
            }
        }

        return json;
    }

    /// <summary><c>{id, name, type, system, hidden, presentable, ...options}</c>.</summary>
    public static JsonObject WriteField(Field field)
    {
        var json = new JsonObject
        {
            ["id"] = field.Id,
            ["name"] = field.Name,
            ["type"] = field.Type,
            ["system"] = field.System,
            ["hidden"] = field.Hidden,
            ["presentable"] = field.Presentable,
        };
        foreach (var (key, value) in field.Options)
        {
            json[key] = value?.DeepClone();
        }

        return json;
    }

    /// <summary>Reads a whole collection; JSON type errors are recorded in <paramref name="errors"/> under the key's path.</summary>
    internal static Collection Read(JsonObject json, NestedErrors errors)
    {
        var collection = new Collection
        {
            Id = ReadString(json, "id", "id", errors) ?? "",
            Name = ReadString(json, "name", "name", errors) ?? "",
            Type = ReadString(json, "type", "type", errors) ?? CollectionType.Base,
            System = ReadBool(json, "system", "system", errors) ?? false,
            Created = ReadString(json, "created", "created", errors) ?? "",
            Updated = ReadString(json, "updated", "updated", errors) ?? "",
        };
        if (collection.Type.Length == 0)
        {
            collection.Type = CollectionType.Base;
        }

        var rules = RuleKeys.Select(k => ReadString(json, k, k, errors)).ToArray();
        (collection.ListRule, collection.ViewRule, collection.CreateRule, collection.UpdateRule, collection.DeleteRule) =
            (rules[0], rules[1], rules[2], rules[3], rules[4]);

        if (json["fields"] is JsonArray fields)
        {
            for (var i = 0; i < fields.Count; i++)
            {
                if (ReadField(fields[i], "fields." + i, errors) is { } field)
                {
                    collection.Fields.Add(field);
                }
            }
        }
        else if (json["fields"] is not null)
        {
            errors.Add("fields", TypeCode, "Must be an array of fields.");
        }

        collection.Indexes = ReadStringList(json, "indexes", "indexes", errors) ?? [];
        if (collection.IsView)
        {
            collection.ViewQuery = ReadString(json, "viewQuery", "viewQuery", errors) ?? "";
        }

        if (collection.IsAuth)
        {
            var options = AuthOptions.CreateDefaults();
            foreach (var key in AuthOptions.Keys)
            {
                if (json.TryGetPropertyValue(key, out var value))
                {
                    MergeTyped(options, key, value, key, errors);
                }
            }

            collection.Options = options;
        }

        return collection;
    }

    /// <summary>Reads one field at <paramref name="path"/> (<c>fields.2</c>); null when it is not an object.</summary>
    internal static Field? ReadField(JsonNode? node, string path, NestedErrors errors)
    {
        if (node is not JsonObject json)
        {
            errors.Add(path, TypeCode, "Must be a field object.");
            return null;
        }

        var field = new Field
        {
            Id = ReadString(json, "id", path + ".id", errors) ?? "",
            Name = ReadString(json, "name", path + ".name", errors) ?? "",
            Type = ReadString(json, "type", path + ".type", errors) ?? "",
            System = ReadBool(json, "system", path + ".system", errors) ?? false,
            Hidden = ReadBool(json, "hidden", path + ".hidden", errors) ?? false,
            Presentable = ReadBool(json, "presentable", path + ".presentable", errors) ?? false,
        };
        foreach (var option in FieldOptions.For(field.Type))
        {
            field.Options[option.Key] = ReadOption(json, option, path + "." + option.Key, errors);
        }

        return field;
    }

    private static JsonNode? ReadOption(JsonObject json, FieldOption option, string path, NestedErrors errors)
    {
        if (!json.TryGetPropertyValue(option.Key, out var node) || node is null)
        {
            return option.CreateDefault();
        }

        switch (option.Kind)
        {
            case OptionKind.Bool when node.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
            case OptionKind.String when node.GetValueKind() == JsonValueKind.String:
            case OptionKind.NullableNumber when node.GetValueKind() == JsonValueKind.Number:
                return node.DeepClone();
            case OptionKind.Int when node.GetValueKind() == JsonValueKind.Number:
                var d = JsonNumber.Get(node) ?? double.NaN;
                if (d == Math.Floor(d) && Math.Abs(d) < 1e15)
                {
                    return JsonValue.Create(d);
                }

                errors.Add(path, TypeCode, "Must be an integer.");
                return option.CreateDefault();
            case OptionKind.StringList when node is JsonArray array && array.All(x => x?.GetValueKind() == JsonValueKind.String):
                return array.DeepClone();
            default:
                errors.Add(path, TypeCode, "Must be " + Describe(option.Kind) + ".");
                return option.CreateDefault();
        }
    }

    private static string Describe(OptionKind kind) => kind switch
    {
        OptionKind.Bool => "a boolean",
        OptionKind.Int => "an integer",
        OptionKind.NullableNumber => "a number or null",
        OptionKind.String => "a string",
        _ => "an array of strings",
    };

    /// <summary>Copies <paramref name="value"/> onto <c>target[key]</c> if its JSON kind matches the default's; objects merge, arrays replace.</summary>
    private static void MergeTyped(JsonObject target, string key, JsonNode? value, string path, NestedErrors errors)
    {
        var current = target[key];
        switch (current)
        {
            case JsonObject currentObject when value is JsonObject incoming:
                foreach (var (childKey, childValue) in incoming)
                {
                    if (currentObject.ContainsKey(childKey) || IsOpenObject(key))
                    {
                        MergeTyped(currentObject, childKey, childValue, path + "." + childKey, errors);
                    }
                }

                return;
            case JsonObject:
            case JsonArray:
                if (value is null)
                {
                    return;
                }

                if (value is JsonArray && current is JsonArray)
                {
                    target[key] = value.DeepClone();
                    return;
                }

                break;
            case null:
                if (value is null or JsonValue)
                {
                    target[key] = value?.DeepClone();
                    return;
                }

                if (IsOpenObject(key))
                {
                    target[key] = value.DeepClone();
                    return;
                }

                break;
            default:
                var kind = current.GetValueKind();
                if (value is null)
                {
                    if (kind == JsonValueKind.String)
                    {
                        target[key] = null;
                    }

                    return;
                }

                var incomingKind = value.GetValueKind();
                if (incomingKind == kind || (incomingKind is JsonValueKind.True or JsonValueKind.False && kind is JsonValueKind.True or JsonValueKind.False))
                {
                    target[key] = value.DeepClone();
                    return;
                }

                break;
        }

        errors.Add(path, TypeCode, "Invalid value type.");
    }

    /// <summary>Objects whose keys are free-form (provider extras) rather than a fixed shape.</summary>
    private static bool IsOpenObject(string key) => key is "extra";

    private static string? ReadString(JsonObject json, string key, string path, NestedErrors errors)
    {
        if (!json.TryGetPropertyValue(key, out var node) || node is null)
        {
            return null;
        }

        if (node.GetValueKind() == JsonValueKind.String)
        {
            return node.GetValue<string>();
        }

        errors.Add(path, TypeCode, "Must be a string.");
        return null;
    }

    private static bool? ReadBool(JsonObject json, string key, string path, NestedErrors errors)
    {
        if (!json.TryGetPropertyValue(key, out var node) || node is null)
        {
            return null;
        }

        if (node.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            return node.GetValue<bool>();
        }

        errors.Add(path, TypeCode, "Must be a boolean.");
        return null;
    }

    private static List<string>? ReadStringList(JsonObject json, string key, string path, NestedErrors errors)
    {
        if (!json.TryGetPropertyValue(key, out var node) || node is null)
        {
            return null;
        }

        if (node is JsonArray array && array.All(x => x?.GetValueKind() == JsonValueKind.String))
        {
            return array.Select(x => x!.GetValue<string>()).ToList();
        }

        errors.Add(path, TypeCode, "Must be an array of strings.");
        return null;
    }
}
