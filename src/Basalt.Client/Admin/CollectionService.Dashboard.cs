using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Basalt.Client.Admin;

/// <summary>The dashboard's collection routes: records import and export, and the rule editor's checks.</summary>
public sealed partial class CollectionService
{
    /// <summary>Every record (passing <paramref name="filter"/>) as a file: <paramref name="format"/> <c>json</c> or <c>csv</c>.</summary>
    public async Task<byte[]> ExportRecordsAsync(string idOrName, string format = "json", string? filter = null, CancellationToken cancellationToken = default)
    {
        var options = new RequestOptions();
        options.Query["format"] = format;
        options.Query["filter"] = filter;
        using var response = await _client.SendRawAsync(HttpMethod.Get, One(idOrName) + "/export", null, options, System.Net.Http.HttpCompletionOption.ResponseContentRead, cancellationToken);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    /// <summary>
    /// Creates one record per row of <paramref name="file"/> (<paramref name="format"/> <c>json</c> or <c>csv</c>), all or
    /// none; returns how many. A rejected row fails the whole import with a <see cref="ClientResponseException"/> (400)
    /// whose <c>ErrorData["rows"]</c> lists <c>{row, message, errors}</c>.
    /// </summary>
    public async Task<int> ImportRecordsAsync(string idOrName, byte[] file, string format = "json", CancellationToken cancellationToken = default)
    {
        var options = new RequestOptions();
        options.Query["format"] = format;
        using var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue(format == "csv" ? "text/csv" : "application/json");
        var answer = await _client.SendAsync(HttpMethod.Post, One(idOrName) + "/import", content, options, cancellationToken);
        return (int)(JsonRead.Number(answer?["imported"]) ?? 0);
    }

    /// <summary>
    /// Compiles <paramref name="expression"/> as a rule (<paramref name="kind"/> <c>rule</c>) or a filter (<c>filter</c>)
    /// of <paramref name="collection"/>: an id or name (a JSON string) or a whole, possibly unsaved, collection object.
    /// </summary>
    public async Task<ExpressionCheck> CheckExpressionAsync(JsonNode collection, string kind, string expression, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["collection"] = collection.DeepClone(), ["kind"] = kind, ["expression"] = expression };
        var answer = JsonRead.Object(await _client.SendAsync(HttpMethod.Post, Path + "/meta/check", body, null, cancellationToken));
        var position = JsonRead.Number(answer["position"]);
        return new ExpressionCheck(JsonRead.Bool(answer["valid"]), JsonRead.String(answer["message"]), position is { } p ? (int)p : null);
    }

    /// <summary>The names an expression over the collection may use, for autocomplete: <c>{fields, relations, request, collections, macros, modifiers, functions}</c>.</summary>
    public async Task<JsonObject> GetExpressionNamesAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        var options = new RequestOptions();
        options.Query["collection"] = idOrName;
        return JsonRead.Object(await _client.SendAsync(HttpMethod.Get, Path + "/meta/fields", (HttpContent?)null, options, cancellationToken));
    }
}
