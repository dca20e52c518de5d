using System.Text.Json.Nodes;
using Basalt.Errors;
using Microsoft.AspNetCore.Http;

namespace Basalt.Api;

/// <summary>Reads the string members of the small JSON-or-form bodies the auth, OTP, OAuth2 and realtime routes take.</summary>
internal static class BodyText
{
    /// <summary>
    /// The member as a string, or null when absent or null. Form values were inferred into numbers and booleans by the
    /// body reader; for these members the raw text is what the client meant (a numeric OTP, a username). In JSON any
    /// other type is refused naming the member.
    /// </summary>
    public static string? Read(HttpRequest request, JsonObject body, string key)
    {
        if (!body.TryGetPropertyValue(key, out var node) || node is null)
        {
            return null;
        }

        if (node is JsonValue v && v.TryGetValue<string>(out var s))
        {
            return s;
        }

        return request.HasFormContentType && node is JsonValue scalar
            ? scalar.ToJsonString()
            : throw ApiError.Field(ApiError.LoadFailed, key, "validation_invalid_value", "Must be a string.");
    }

    /// <summary>The member as a string, "" when absent.</summary>
    public static string Required(HttpRequest request, JsonObject body, string key) => Read(request, body, key) ?? "";

    /// <summary>The <c>mfaId</c> completing an MFA challenge (§7.4): from the body, else the query; null when neither has one.</summary>
    public static string? MfaId(HttpRequest request, JsonObject body) =>
        Read(request, body, "mfaId") is { Length: > 0 } fromBody ? fromBody
            : request.Query["mfaId"].ToString() is { Length: > 0 } fromQuery ? fromQuery : null;
}
