using System.Text.Json;
using System.Text.Json.Nodes;
using Basalt.Errors;
using Basalt.Model;
using Basalt.Storage;

namespace Basalt.Collections;

/// <summary>Maps a <see cref="Collection"/> to and from its <c>_collections</c> row (JSON columns in the wire format, secrets kept).</summary>
internal static class CollectionRows
{
    public static CollectionRow ToRow(Collection c) => new()
    {
        Id = c.Id,
        System = c.System,
        Type = c.Type,
        Name = c.Name,
        Fields = new JsonArray(c.Fields.Select(f => (JsonNode)CollectionJson.WriteField(f)).ToArray()).ToJsonString(),
        Indexes = JsonSerializer.Serialize(c.Indexes, CollectionsJsonContext.Default.ListString),
        ListRule = c.ListRule,
        ViewRule = c.ViewRule,
        CreateRule = c.CreateRule,
        UpdateRule = c.UpdateRule,
        DeleteRule = c.DeleteRule,
        ViewQuery = c.IsView ? c.ViewQuery ?? "" : null,
        Options = c.Options.ToJsonString(),
        Created = c.Created,
        Updated = c.Updated,
    };

    public static Collection FromRow(CollectionRow row)
    {
        var collection = new Collection
        {
            Id = row.Id,
            System = row.System,
            Type = row.Type,
            Name = row.Name,
            ListRule = row.ListRule,
            ViewRule = row.ViewRule,
            CreateRule = row.CreateRule,
            UpdateRule = row.UpdateRule,
            DeleteRule = row.DeleteRule,
            ViewQuery = row.Type == CollectionType.View ? row.ViewQuery ?? "" : null,
            Options = JsonNode.Parse(string.IsNullOrEmpty(row.Options) ? "{}" : row.Options) as JsonObject ?? [],
            Indexes = JsonSerializer.Deserialize(string.IsNullOrEmpty(row.Indexes) ? "[]" : row.Indexes, CollectionsJsonContext.Default.ListString) ?? [],
            Created = row.Created,
            Updated = row.Updated,
        };

        // Stored rows were validated on the way in; reading them back is lenient.
        var errors = new NestedErrors();
        if (JsonNode.Parse(string.IsNullOrEmpty(row.Fields) ? "[]" : row.Fields) is JsonArray fields)
        {
            for (var i = 0; i < fields.Count; i++)
            {
                if (CollectionJson.ReadField(fields[i], "fields." + i, errors) is { } field)
                {
                    collection.Fields.Add(field);
                }
            }
        }

        return collection;
    }
}
