using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Basalt.Client;

/// <summary>One page of a list: <c>{page, perPage, totalItems, totalPages, items}</c>; the totals are -1 with <c>skipTotal</c>.</summary>
public sealed record ListResult<T>(int Page, int PerPage, int TotalItems, int TotalPages, IReadOnlyList<T> Items);

/// <summary>Reads a list answer into <see cref="ListResult{T}"/>.</summary>
internal static class ListResults
{
    public static ListResult<JsonObject> FromJson(JsonNode? node) => FromJson(node, item => item as JsonObject ?? []);

    public static ListResult<T> FromJson<T>(JsonNode? node, JsonTypeInfo<T> type) =>
        FromJson(node, item => item.Deserialize(type) ?? throw new ClientResponseException("The server answered a list item of null."));

    public static ListResult<T> FromJson<T>(JsonNode? node, Func<JsonNode?, T> item)
    {
        var list = node as JsonObject ?? throw new ClientResponseException("The server answered something other than a list.");
        var items = (list["items"] as JsonArray ?? []).Select(item).ToList();
        return new ListResult<T>(Int(list, "page"), Int(list, "perPage"), Int(list, "totalItems"), Int(list, "totalPages"), items);
    }

    private static int Int(JsonObject list, string key) => list[key] is JsonValue v && v.TryGetValue<double>(out var d) ? (int)d : 0;
}
