using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Basalt.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Basalt.Api;

/// <summary>
/// Reads a request body into a JSON object by content type (§1.2): JSON; multipart and urlencoded forms with value
/// inference, repeated keys as arrays and <c>@jsonPayload</c> merged last; an empty body is <c>{}</c>.
/// </summary>
public sealed class RequestBodyReader(IOptions<BasaltOptions> options)
{
    public const string JsonPayloadKey = "@jsonPayload";
    public const string InvalidBody = "Failed to load the submitted data due to invalid formatting.";

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

        var bytes = await ReadLimitedAsync(request.Body, limit, cancellationToken);
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

    private static JsonObject ParseObject(ReadOnlySpan<byte> bytes)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
            if (node is JsonObject obj)
            {
                // duplicate keys surface only when the object is first materialized
                _ = obj.Count;
            }
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw ApiError.Field(InvalidBody, "body", "validation_invalid_json", "Must be a valid JSON object.");
        }

        return node as JsonObject ?? throw ApiError.Field(InvalidBody, "body", "validation_invalid_json", "Must be a JSON object.");
    }

    private static async Task<byte[]> ReadLimitedAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new ApiError(413, "Request entity too large.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
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
            throw ApiError.Field(InvalidBody, "body", "validation_invalid_form", "Must be a valid form body.");
        }

        var result = new JsonObject();
        foreach (var (key, values) in form)
        {
            if (key == JsonPayloadKey)
            {
                continue;
            }

            result[key] = FormValue(values);
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
