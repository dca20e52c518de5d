using System.Text.Json.Nodes;

namespace Basalt.Model;

/// <summary>The JSON kind an option accepts.</summary>
internal enum OptionKind
{
    Bool,
    Int,
    NullableNumber,
    String,
    StringList,
}

/// <summary>One type-specific field option: its wire name, JSON kind and default value.</summary>
internal sealed record FieldOption(string Key, OptionKind Kind, JsonNode? Default = null)
{
    public JsonNode? CreateDefault() => Default?.DeepClone() ?? Kind switch
    {
        OptionKind.Bool => JsonValue.Create(false),
        OptionKind.Int => JsonValue.Create(0.0),
        OptionKind.String => JsonValue.Create(""),
        _ => null,
    };
}

/// <summary>The options each field type carries on the wire (§2.5), in the order they are written.</summary>
internal static class FieldOptions
{
    private static readonly FieldOption Help = new("help", OptionKind.String);
    private static readonly FieldOption Required = new("required", OptionKind.Bool);
    private static readonly FieldOption ExceptDomains = new("exceptDomains", OptionKind.StringList);
    private static readonly FieldOption OnlyDomains = new("onlyDomains", OptionKind.StringList);
    private static readonly FieldOption MaxSize = new("maxSize", OptionKind.Int);
    private static readonly FieldOption MaxSelect = new("maxSelect", OptionKind.Int);

    private static readonly Dictionary<string, FieldOption[]> ByType = new(StringComparer.Ordinal)
    {
        [FieldType.Text] =
        [
            new("min", OptionKind.Int), new("max", OptionKind.Int), new("pattern", OptionKind.String),
            new("autogeneratePattern", OptionKind.String), Required, new("primaryKey", OptionKind.Bool), Help,
        ],
        [FieldType.Number] =
            [new("min", OptionKind.NullableNumber), new("max", OptionKind.NullableNumber), new("onlyInt", OptionKind.Bool), Required, Help],
        [FieldType.Bool] = [Required, Help],
        [FieldType.Email] = [ExceptDomains, OnlyDomains, Required, Help],
        [FieldType.Url] = [ExceptDomains, OnlyDomains, Required, Help],
        [FieldType.Editor] = [MaxSize, new("convertURLs", OptionKind.Bool), Required, Help],
        [FieldType.Date] = [new("min", OptionKind.String), new("max", OptionKind.String), Required, Help],
        [FieldType.Autodate] = [new("onCreate", OptionKind.Bool), new("onUpdate", OptionKind.Bool)],
        [FieldType.Select] = [new("values", OptionKind.StringList), MaxSelect, Required, Help],
        [FieldType.Json] = [MaxSize, Required, Help],
        [FieldType.File] =
        [
            MaxSize, MaxSelect, new("mimeTypes", OptionKind.StringList), new("thumbs", OptionKind.StringList),
            new("protected", OptionKind.Bool), Required, Help,
        ],
        [FieldType.Relation] =
        [
            new("collectionId", OptionKind.String), new("cascadeDelete", OptionKind.Bool),
            new("minSelect", OptionKind.Int), MaxSelect, Required, Help,
        ],
        [FieldType.Password] =
            [new("min", OptionKind.Int), new("max", OptionKind.Int), new("pattern", OptionKind.String), new("cost", OptionKind.Int), Required, Help],
        [FieldType.GeoPoint] = [Required, Help],
    };

    public static IReadOnlyList<FieldOption> For(string type) => ByType.TryGetValue(type, out var options) ? options : [];

    /// <summary>Fills every missing option of <paramref name="field"/> with its default, keeping what is set.</summary>
    public static void ApplyDefaults(Field field)
    {
        foreach (var option in For(field.Type))
        {
            if (!field.Options.ContainsKey(option.Key))
            {
                field.Options[option.Key] = option.CreateDefault();
            }
        }
    }

    /// <summary>A field of <paramref name="type"/> with every option at its default.</summary>
    public static Field NewField(string type, string name, JsonObject? options = null)
    {
        var field = new Field { Name = name, Type = type, Options = options ?? [] };
        ApplyDefaults(field);
        return field;
    }
}
