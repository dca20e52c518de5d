using System.Text.Json.Nodes;

namespace Basalt.Model;

/// <summary>The value a field holds when nothing was set: what an insert stores and a clear writes, per field type.</summary>
public static class FieldEmptyValue
{
    public static object? Of(Field field) => field.Type switch
    {
        FieldType.Number => 0d,
        FieldType.Bool => false,
        FieldType.Json => null,
        FieldType.GeoPoint => new JsonObject { ["lon"] = 0d, ["lat"] = 0d },
        _ when field.IsMultiple => new List<string>(),
        _ => "",
    };
}
