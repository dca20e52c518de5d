namespace Basalt.Dashboard.Services;

/// <summary>The field types a collection may have and the options each one takes, as the collection editor shows them.</summary>
public static class FieldTypes
{
    public static readonly string[] All =
        ["text", "editor", "number", "bool", "email", "url", "date", "autodate", "select", "json", "file", "relation", "password", "geoPoint"];

    /// <summary>The options of <paramref name="type"/>: name and the kind of input (number, bool, text, list, collection).</summary>
    public static IReadOnlyList<(string Name, string Kind)> Options(string type) => type switch
    {
        "text" => [("min", "number"), ("max", "number"), ("pattern", "text"), ("autogeneratePattern", "text")],
        "editor" => [("maxSize", "number"), ("convertURLs", "bool")],
        "number" => [("min", "number"), ("max", "number"), ("onlyInt", "bool")],
        "email" or "url" => [("onlyDomains", "list"), ("exceptDomains", "list")],
        "date" => [("min", "text"), ("max", "text")],
        "autodate" => [("onCreate", "bool"), ("onUpdate", "bool")],
        "select" => [("values", "list"), ("maxSelect", "number")],
        "json" => [("maxSize", "number")],
        "file" => [("maxSelect", "number"), ("maxSize", "number"), ("mimeTypes", "list"), ("thumbs", "list"), ("protected", "bool")],
        "relation" => [("collectionId", "collection"), ("minSelect", "number"), ("maxSelect", "number"), ("cascadeDelete", "bool")],
        "password" => [("min", "number"), ("max", "number"), ("pattern", "text"), ("cost", "number")],
        _ => [],
    };

    /// <summary>The five API rules of a collection, with what each one guards.</summary>
    public static readonly (string Key, string Label)[] Rules =
    [
        ("listRule", "List/Search"), ("viewRule", "View"), ("createRule", "Create"), ("updateRule", "Update"), ("deleteRule", "Delete"),
    ];

    /// <summary>The rules an auth collection has besides the five: who may sign in, and who may manage other users.</summary>
    public static readonly (string Key, string Label)[] AuthRules = [("authRule", "Auth"), ("manageRule", "Manage")];
}
