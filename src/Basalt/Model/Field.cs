using System.Text.Json.Nodes;
using Basalt.Common;

namespace Basalt.Model;

/// <summary>
/// One field of a collection. The common keys are properties; every type-specific option
/// (min, max, values, maxSelect, collectionId, cascadeDelete, onCreate, …) stays in <see cref="Options"/>
/// exactly as the wire format spells it, so a field round-trips through JSON unchanged.
/// </summary>
public sealed class Field
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public string Type { get; set; } = FieldType.Text;

    public bool System { get; set; }

    public bool Hidden { get; set; }

    public bool Presentable { get; set; }

    /// <summary>Type-specific options keyed by their wire names.</summary>
    public JsonObject Options { get; set; } = [];

    public bool Required => GetBool("required");

    public bool PrimaryKey => GetBool("primaryKey");

    public int MaxSelect => (int)(GetNumber("maxSelect") ?? 0);

    /// <summary>A select, file or relation field holding a JSON array of values.</summary>
    public bool IsMultiple => FieldType.CanBeMultiple(Type) && MaxSelect > 1;

    /// <summary>The related collection's id, for relation fields.</summary>
    public string? CollectionId => GetString("collectionId");

    public bool CascadeDelete => GetBool("cascadeDelete");

    public bool GetBool(string key) =>
        Options.TryGetPropertyValue(key, out var node) && node is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    /// <summary>Reads a number whatever CLR type backs the JSON value (parsed text, or an int/long/double built in code).</summary>
    public double? GetNumber(string key) =>
        Options.TryGetPropertyValue(key, out var node) ? JsonNumber.Get(node) : null;

    public string? GetString(string key) =>
        Options.TryGetPropertyValue(key, out var node) && node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public IReadOnlyList<string> GetStrings(string key) =>
        Options.TryGetPropertyValue(key, out var node) && node is JsonArray a
            ? a.Select(x => x?.GetValue<string>() ?? "").ToList()
            : [];

    public Field Clone() => new()
    {
        Id = Id,
        Name = Name,
        Type = Type,
        System = System,
        Hidden = Hidden,
        Presentable = Presentable,
        Options = (JsonObject)Options.DeepClone(),
    };
}
