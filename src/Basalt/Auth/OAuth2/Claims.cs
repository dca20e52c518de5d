using System.Text.Json;
using System.Text.Json.Nodes;
using Basalt.Errors;

namespace Basalt.Auth.OAuth2;

/// <summary>Lenient reads of provider JSON: ids arrive as numbers or strings, flags as booleans or "true".</summary>
internal static class Claims
{
    public static string Text(JsonObject json, string key) => json[key] switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
        _ => "",
    };

    public static bool Flag(JsonObject json, string key) => json[key] switch
    {
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<string>(out var s) => string.Equals(s, "true", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    /// <summary>The user id a provider must return; a user without one can't be linked to anything.</summary>
    public static string RequiredId(JsonObject json, string key)
    {
        var id = Text(json, key);
        return id.Length > 0 ? id : throw ApiError.BadRequest(OAuth2Http.UserFailed);
    }
}
