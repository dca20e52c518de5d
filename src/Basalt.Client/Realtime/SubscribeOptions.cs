using System.Text.Json.Nodes;

namespace Basalt.Client.Realtime;

/// <summary>
/// Options of a subscription, sent in its topic as <c>?options=</c> (as the JS SDK does): a client filter, expand,
/// fields, and any query value or header the collection's rules read as <c>@request.query.*</c> / <c>@request.headers.*</c>.
/// </summary>
public sealed class SubscribeOptions
{
    public string? Filter { get; set; }

    public string? Expand { get; set; }

    public string? Fields { get; set; }

    public IDictionary<string, string> Query { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The topic with these options appended, or the topic alone when there are none.</summary>
    internal string Apply(string topic)
    {
        var query = new JsonObject();
        foreach (var (key, value) in Query)
        {
            query[key] = value;
        }

        Set(query, "filter", Filter);
        Set(query, "expand", Expand);
        Set(query, "fields", Fields);
        var headers = new JsonObject();
        foreach (var (key, value) in Headers)
        {
            headers[key] = value;
        }

        if (query.Count == 0 && headers.Count == 0)
        {
            return topic;
        }

        var options = new JsonObject();
        if (query.Count > 0)
        {
            options["query"] = query;
        }

        if (headers.Count > 0)
        {
            options["headers"] = headers;
        }

        return topic + "?options=" + Uri.EscapeDataString(options.ToJsonString());
    }

    private static void Set(JsonObject query, string key, string? value)
    {
        if (value is not null)
        {
            query[key] = value;
        }
    }
}
