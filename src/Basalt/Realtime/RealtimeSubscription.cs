using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Basalt.Common;
using Basalt.Model;
using Basalt.Query;
using Microsoft.AspNetCore.WebUtilities;

namespace Basalt.Realtime;

/// <summary>
/// One submitted subscription (§8.2): the exact string (the SSE event name the SDK listens on), its topic, and the
/// <c>?options=</c> JSON <c>{query, headers}</c> that become <c>@request.query.*</c> / <c>@request.headers.*</c>.
/// </summary>
public sealed class RealtimeSubscription
{
    private const string OptionsParameter = "options";

    private string? _options;

    private RealtimeSubscription(string raw, string topic, Dictionary<string, string> query, Dictionary<string, string> headers)
    {
        Raw = raw;
        Topic = topic;
        Query = query;
        Headers = headers;
        Filter = Option(query, "filter");
        Expand = Option(query, "expand");
        Fields = Option(query, "fields");
    }

    /// <summary>The subscription exactly as submitted, options included.</summary>
    public string Raw { get; }

    /// <summary>The part before <c>?</c>: <c>posts/*</c>, <c>posts/RECORD_ID</c>, <c>@oauth2</c> or a custom topic.</summary>
    public string Topic { get; }

    /// <summary>The part from <c>?</c> on ("" without options): subscriptions with the same one read the same <c>@request.*</c>.</summary>
    public string Options => _options ??= Raw[Topic.Length..];

    /// <summary>The options' query values, stringified.</summary>
    public IReadOnlyDictionary<string, string> Query { get; }

    /// <summary>The options' headers, keys snake_cased as <c>@request.headers.*</c> reads them.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The <c>filter</c> option, null when blank.</summary>
    public string? Filter { get; }

    /// <summary>The <c>expand</c> option, null when blank.</summary>
    public string? Expand { get; }

    /// <summary>The <c>fields</c> option, null when blank.</summary>
    public string? Fields { get; }

    /// <summary>PocketBase's match: the subscription is the topic itself or the topic followed by <c>?</c>.</summary>
    public bool Matches(string topic) => string.Equals(Topic, topic, StringComparison.Ordinal);

    /// <summary>What the rules of a record event read for this subscriber (§8.3 step 1).</summary>
    public RequestInfo ToRequestInfo(Record? auth) => new()
    {
        Method = "GET",
        Query = Query,
        Headers = Headers,
        Auth = auth,
        Context = "realtime",
    };

    /// <summary>Parses a submitted string; null with an error message when its options are not the JSON object they must be.</summary>
    public static RealtimeSubscription? TryParse(string raw, out string? error)
    {
        error = null;
        var mark = raw.IndexOf('?', StringComparison.Ordinal);
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        if (mark < 0)
        {
            return new RealtimeSubscription(raw, raw, query, headers);
        }

        var parameters = QueryHelpers.ParseQuery(raw[mark..]);
        if (parameters.TryGetValue(OptionsParameter, out var values) && values.Count > 0 && !string.IsNullOrEmpty(values[0]))
        {
            if (!TryReadOptions(values[0]!, query, headers))
            {
                error = "Invalid subscription options: must be a JSON object {query, headers}.";
                return null;
            }
        }

        return new RealtimeSubscription(raw, raw[..mark], query, headers);
    }

    private static string? Option(Dictionary<string, string> query, string key) =>
        query.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>
    /// Reads the options JSON; false when it is not an object of objects. Lone surrogate and NUL escapes read as U+FFFD,
    /// as in request bodies (Go's decoder does the same for PocketBase).
    /// </summary>
    private static bool TryReadOptions(string json, Dictionary<string, string> query, Dictionary<string, string> headers)
    {
        try
        {
            return JsonNode.Parse(JsonEscapes.Sanitize(json), documentOptions: new JsonDocumentOptions { MaxDepth = 16 }) is JsonObject options
                && Copy(options["query"], query, static k => k)
                && Copy(options["headers"], headers, SnakeCase);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    private static bool Copy(JsonNode? node, Dictionary<string, string> target, Func<string, string> key)
    {
        if (node is null)
        {
            return true;
        }

        if (node is not JsonObject obj)
        {
            return false;
        }

        foreach (var (name, value) in obj)
        {
            target[key(name)] = Stringify(value);
        }

        return true;
    }

    private static string Stringify(JsonNode? value) => value switch
    {
        null => "",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<double>(out var d) => d.ToString(CultureInfo.InvariantCulture),
        _ => value.ToJsonString(),
    };

    /// <summary><c>X-Token</c> → <c>x_token</c>, <c>someHeader</c> → <c>some_header</c>.</summary>
    internal static string SnakeCase(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (!char.IsAsciiLetterOrDigit(c))
            {
                if (text.Length > 0 && text[^1] != '_')
                {
                    text.Append('_');
                }

                continue;
            }

            if (char.IsAsciiLetterUpper(c) && i > 0 && char.IsAsciiLetterLower(name[i - 1]) && text.Length > 0 && text[^1] != '_')
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString().Trim('_');
    }
}
