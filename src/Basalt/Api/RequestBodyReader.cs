using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Basalt.Common;
using Basalt.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Basalt.Api;

/// <summary>
/// Reads a request body into a JSON object by content type (§1.2): JSON; multipart and urlencoded forms with value
/// inference, repeated keys as arrays and <c>@jsonPayload</c> merged last; an empty body is <c>{}</c>.
/// </summary>
public sealed partial class RequestBodyReader(IOptions<ApiOptions> options)
{
    public const string JsonPayloadKey = "@jsonPayload";
    private const int MaxDepth = 64;

    /// <summary>Most values (of any kind, at any depth) one JSON body may hold.</summary>
    public const int MaxValues = 200_000;

    public async Task<JsonObject> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxBodySize;
        if (request.ContentLength > limit)
        {
            throw new ApiError(413, "Request entity too large.");
        }

        if (request.ContentLength == 0 || (!request.ContentLength.HasValue && !HasChunkedBody(request)))
        {
            return [];
        }

        var contentType = request.ContentType ?? "";
        if (request.HasFormContentType)
        {
            return await ReadFormAsync(request, cancellationToken);
        }

        var bytes = await RequestBodies.ReadAsync(request.Body, request.ContentLength, limit, cancellationToken);
        if (bytes.Length == 0)
        {
            return [];
        }

        if (contentType.Length > 0 && !IsJson(contentType))
        {
            throw ApiError.BadRequest("Unsupported Content-Type.");
        }

        return ParseObject(bytes);
    }

    private static bool HasChunkedBody(HttpRequest request) =>
        request.Headers.TransferEncoding.Any(v => v?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true);

    private static bool IsJson(string contentType)
    {
        var mediaType = contentType.Split(';', 2)[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
            mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Parses a JSON object as Go's decoder does for PocketBase: a repeated key keeps its last value, <c>null</c> is an
    /// empty object, and text no store can keep becomes U+FFFD (invalid UTF-8 bytes, and the escapes of
    /// <see cref="JsonEscapes"/>). Anything else that is not an object, a number no float64 holds (1e400), or more than
    /// <see cref="MaxValues"/> values is the generic 400 with empty data.
    /// </summary>
    internal static JsonObject ParseObject(byte[] bytes)
    {
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            bytes = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(bytes));
        }

        JsonEscapes.Sanitize(bytes);
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = MaxDepth });
            var budget = MaxValues;
            return document.RootElement.ValueKind switch
            {
                JsonValueKind.Object => ToObject(document.RootElement, ref budget),
                JsonValueKind.Null => [],
                _ => throw ApiError.BadRequest(),
            };
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw ApiError.BadRequest();
        }
    }

    private static JsonObject ToObject(JsonElement element, ref int budget)
    {
        var result = new JsonObject();
        foreach (var property in element.EnumerateObject())
        {
            result[property.Name] = ToNode(property.Value, ref budget);
        }

        return result;
    }

    private static JsonNode? ToNode(JsonElement element, ref int budget)
    {
        // Building a node costs far more than parsing it: a few MB of "[]" would otherwise hold a CPU for seconds.
        if (--budget < 0)
        {
            throw new FormatException();
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                return ToObject(element, ref budget);
            case JsonValueKind.Array:
                var array = new JsonArray();
                foreach (var item in element.EnumerateArray())
                {
                    array.Add(ToNode(item, ref budget));
                }

                return array;
            case JsonValueKind.String:
                return JsonValue.Create(element.GetString()!);
            case JsonValueKind.Number:
                return element.TryGetDouble(out var d) && double.IsFinite(d) ? JsonValue.Create(d) : throw new FormatException();
            case JsonValueKind.True:
                return JsonValue.Create(true);
            case JsonValueKind.False:
                return JsonValue.Create(false);
            default:
                return null;
        }
    }

    private static async Task<JsonObject> ReadFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or FormatException)
        {
            throw ApiError.BadRequest();
        }

        return FormBody(form);
    }

    /// <summary>The form's values as a body: inferred scalars, repeated keys as arrays, <c>@jsonPayload</c> merged last.</summary>
    private static JsonObject FormBody(IFormCollection form)
    {
        var result = new JsonObject();
        foreach (var (key, values) in form)
        {
            if (key == JsonPayloadKey)
            {
                continue;
            }

            result[JsonEscapes.Clean(key)] = FormValue(values);
        }

        if (form.TryGetValue(JsonPayloadKey, out var payloads))
        {
            foreach (var payload in payloads)
            {
                foreach (var (key, value) in ParseObject(System.Text.Encoding.UTF8.GetBytes(payload ?? "")))
                {
                    result[key] = value?.DeepClone();
                }
            }
        }

        return result;
    }

    private static JsonNode? FormValue(StringValues values)
    {
        if (values.Count == 1)
        {
            return Infer(values[0] ?? "");
        }

        var array = new JsonArray();
        foreach (var v in values)
        {
            array.Add(Infer(v ?? ""));
        }

        return array;
    }

    /// <summary>"true"/"false" become booleans and a number only when it prints back exactly as sent ("1.50" stays text).</summary>
    public static JsonNode Infer(string raw)
    {
        raw = JsonEscapes.Clean(raw);
        switch (raw)
        {
            case "true":
                return JsonValue.Create(true);
            case "false":
                return JsonValue.Create(false);
        }

        if (raw.Length > 0 && (raw[0] == '-' || char.IsAsciiDigit(raw[0])) &&
            double.TryParse(raw, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d) &&
            double.IsFinite(d) && d.ToString("R", CultureInfo.InvariantCulture) == raw)
        {
            return JsonValue.Create(d);
        }

        return JsonValue.Create(raw);
    }
}
