using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Basalt.Api;

/// <summary>Reads the small JSON or form bodies of the auth endpoints into an object (§1.2); an empty body is <c>{}</c>.</summary>
internal static class AuthRequestBody
{
    public static async Task<JsonObject> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            var fromForm = new JsonObject();
            foreach (var (key, values) in form)
            {
                fromForm[key] = values.Count > 0 ? values[^1] : "";
            }

            return fromForm;
        }

        if (request.ContentLength == 0)
        {
            return [];
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        if (buffer.Length == 0)
        {
            return [];
        }

        var contentType = request.ContentType ?? "";
        if (contentType.Length > 0 && !contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            throw ApiError.BadRequest("Unsupported Content-Type.");
        }

        return JsonNode.Parse(buffer.ToArray()) as JsonObject ?? throw new JsonException("the body is not a JSON object");
    }

    /// <summary>A string member; a non-string value is a body the client could not have meant.</summary>
    public static string? GetString(JsonObject body, string key)
    {
        if (!body.TryGetPropertyValue(key, out var node) || node is null)
        {
            return null;
        }

        return node is JsonValue v && v.TryGetValue<string>(out var s)
            ? s
            : throw ApiError.BadRequest(ApiExceptionHandler.LoadFailed);
    }
}
