using System.Text.Json.Nodes;
using Basalt.Model;

namespace Basalt.Tests.Records;

/// <summary>Builds fields and collections for the pure record tests.</summary>
internal static class FieldTestData
{
    public static Field Field(string type, string name = "f", string options = "{}") => new()
    {
        Id = type + name,
        Name = name,
        Type = type,
        Options = (JsonObject)JsonNode.Parse(options)!,
    };

    public static Collection Collection(params Field[] fields)
    {
        var id = new Field { Id = "id", Name = "id", Type = FieldType.Text, System = true, Options = (JsonObject)JsonNode.Parse("""{"primaryKey":true,"required":true,"min":15,"max":15,"pattern":"^[a-z0-9]+$","autogeneratePattern":"[a-z0-9]{15}"}""")! };
        return new Collection { Id = "pbc_1", Name = "things", Fields = [id, .. fields] };
    }
}
