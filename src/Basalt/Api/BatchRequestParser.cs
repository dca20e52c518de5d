using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Basalt.Errors;
using Basalt.Query;
using Basalt.Records;
using Microsoft.AspNetCore.WebUtilities;

namespace Basalt.Api;

/// <summary>
/// Turns the <c>requests</c> of a batch body into operations (§10): the shape is checked as Go's decoder would
/// (400 <see cref="BatchBodyReader.ReadFailed"/>), then the list and each item are validated as PocketBase does
/// (400 <see cref="InvalidData"/> with <c>data.requests…</c>), then each method and URL is matched against the four
/// record actions. A sub-request that matches none becomes a refused operation.
/// </summary>
internal static partial class BatchRequestParser
{
    public const string InvalidData = "Invalid batch request data.";
    public const string UnknownAction = "Unknown batch request action.";
    public const int MaxUrlLength = 2000;

    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    /// <summary>One sub-request as sent, before it is matched to an action.</summary>
    public sealed record Item(string Method, string Url, Dictionary<string, string> Headers, JsonObject Body);

    /// <summary>The items of the body, validated against <paramref name="maxRequests"/>.</summary>
    public static List<Item> Read(JsonObject payload, int maxRequests)
    {
        var items = Shape(payload);
        var errors = new NestedErrors();
        if (items.Count == 0)
        {
            errors.Add("requests", "validation_required", "Cannot be blank.");
        }
        else if (items.Count > maxRequests)
        {
            errors.Add("requests", "validation_length_too_long", $"The length must be no more than {maxRequests}.");
        }
        else
        {
            for (var i = 0; i < items.Count; i++)
            {
                var path = NestedErrors.Path("requests", i);
                var item = items[i];
                if (item.Method.Length == 0)
                {
                    errors.Add(NestedErrors.Path(path, "method"), "validation_required", "Cannot be blank.");
                }
                else if (!Methods.Contains(item.Method, StringComparer.Ordinal))
                {
                    errors.Add(NestedErrors.Path(path, "method"), "validation_in_invalid", "Must be a valid value.");
                }

                if (item.Url.Length == 0)
                {
                    errors.Add(NestedErrors.Path(path, "url"), "validation_required", "Cannot be blank.");
                }
                else if (item.Url.EnumerateRunes().Count() > MaxUrlLength)
                {
                    errors.Add(NestedErrors.Path(path, "url"), "validation_length_too_long", $"The length must be no more than {MaxUrlLength}.");
                }
            }
        }

        errors.ThrowIfAny(InvalidData);
        return items;
    }

    /// <summary>
    /// The operation an item asks for, with the caller's <paramref name="request"/> (auth, headers) narrowed to it:
    /// its method, its URL's query, and its own headers over the caller's, except <c>Authorization</c>: the caller's
    /// auth applies to every sub-request. Its <paramref name="uploads"/> go with it; as in PocketBase, the files sent
    /// under a key replace whatever the JSON body held under that key.
    /// </summary>
    public static (BatchOperation Operation, FieldsPicker? Picker) ToOperation(Item item, RequestInfo request, IReadOnlyList<RecordUpload> uploads)
    {
        var mark = item.Url.IndexOf('?', StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(mark < 0 ? "" : item.Url[mark..]);
        var firstValues = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, values) in query)
        {
            firstValues[key] = values.Count > 0 ? values[0] ?? "" : "";
        }

        var headers = new Dictionary<string, string>(request.Headers, StringComparer.Ordinal);
        foreach (var (name, value) in item.Headers)
        {
            var key = name.ToLowerInvariant().Replace('-', '_');
            if (key != "authorization")
            {
                headers[key] = value;
            }
        }

        request = request with { Method = item.Method, Query = firstValues, Headers = headers };
        if (Match(item.Method + " " + item.Url) is not ({ } action, { } collection, var id))
        {
            return (BatchOperation.Refused(ApiError.BadRequest(UnknownAction), request), null);
        }

        FieldsPicker? picker;
        try
        {
            picker = FieldsPicker.Parse(firstValues.GetValueOrDefault("fields"));
        }
        catch (ApiError e)
        {
            return (BatchOperation.Refused(e, request), null);
        }

        var body = item.Body;
        foreach (var upload in uploads)
        {
            body.Remove(upload.Key);
        }

        var operation = new BatchOperation(action, collection, id, body, firstValues.GetValueOrDefault("expand"), request) { Uploads = uploads };
        return (operation, picker);
    }

    /// <summary>
    /// PocketBase's four batch actions, matched on <c>METHOD url</c> as Go's regexp matches them (<c>.</c> stops at a
    /// newline and the end is the end of the text, hence <c>\z</c>); path segments are taken as sent, not unescaped.
    /// </summary>
    private static (BatchAction? Action, string? Collection, string? Id) Match(string line)
    {
        if (Upsert().Match(line) is { Success: true } upsert)
        {
            return (BatchAction.Upsert, upsert.Groups["collection"].Value, null);
        }

        if (Create().Match(line) is { Success: true } create)
        {
            return (BatchAction.Create, create.Groups["collection"].Value, null);
        }

        if (Update().Match(line) is { Success: true } update)
        {
            return (BatchAction.Update, update.Groups["collection"].Value, update.Groups["id"].Value);
        }

        if (Delete().Match(line) is { Success: true } delete)
        {
            return (BatchAction.Delete, delete.Groups["collection"].Value, delete.Groups["id"].Value);
        }

        return (null, null, null);
    }

    /// <summary>The items as Go's decoder reads <c>{"requests":[{method, url, headers, body}]}</c>; anything else is unreadable.</summary>
    private static List<Item> Shape(JsonObject payload)
    {
        var items = new List<Item>();
        switch (payload["requests"])
        {
            case null:
                return items;
            case JsonArray array:
                foreach (var node in array)
                {
                    items.Add(node switch
                    {
                        null => new Item("", "", [], []),
                        JsonObject o => ShapeItem(o),
                        _ => throw Unreadable(),
                    });
                }

                return items;
            default:
                throw Unreadable();
        }
    }

    private static Item ShapeItem(JsonObject item)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        switch (item["headers"])
        {
            case null:
                break;
            case JsonObject o:
                foreach (var (name, value) in o)
                {
                    headers[name] = value is null ? "" : Text(value);
                }

                break;
            default:
                throw Unreadable();
        }

        var body = item["body"] switch
        {
            null => [],
            JsonObject o => Detach(item, o),
            _ => throw Unreadable(),
        };
        return new Item(item["method"] is null ? "" : Text(item["method"]!), item["url"] is null ? "" : Text(item["url"]!), headers, body);
    }

    /// <summary>Takes the body out of its request item instead of copying it: a large body is then held once.</summary>
    private static JsonObject Detach(JsonObject item, JsonObject body)
    {
        item.Remove("body");
        return body;
    }

    private static string Text(JsonNode node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw Unreadable();

    private static ApiError Unreadable() => ApiError.BadRequest(BatchBodyReader.ReadFailed);

    [GeneratedRegex(@"^PUT /api/collections/(?<collection>[^/?]+)/records(?:\?.*)?\z")]
    private static partial Regex Upsert();

    [GeneratedRegex(@"^POST /api/collections/(?<collection>[^/?]+)/records(?:\?.*)?\z")]
    private static partial Regex Create();

    [GeneratedRegex(@"^PATCH /api/collections/(?<collection>[^/?]+)/records/(?<id>[^/?]+)(?:\?.*)?\z")]
    private static partial Regex Update();

    [GeneratedRegex(@"^DELETE /api/collections/(?<collection>[^/?]+)/records/(?<id>[^/?]+)(?:\?.*)?\z")]
    private static partial Regex Delete();
}
