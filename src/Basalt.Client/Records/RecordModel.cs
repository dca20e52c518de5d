using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Basalt.Client.Records;

/// <summary>
/// A base for the app's record types: the keys every record has. Derive, add the collection's fields, and list the type
/// in a <c>JsonSerializerContext</c> (with camelCase names, or <c>[JsonPropertyName]</c> on each field).
/// </summary>
public class RecordModel
{
    [JsonPropertyName("id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Id { get; set; }

    [JsonPropertyName("collectionId")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CollectionId { get; set; }

    [JsonPropertyName("collectionName")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CollectionName { get; set; }

    /// <summary>The expanded relations, when the request asked for any.</summary>
    [JsonPropertyName("expand")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonObject? Expand { get; set; }
}
