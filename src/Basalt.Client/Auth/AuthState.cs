using System.Text.Json.Nodes;

namespace Basalt.Client.Auth;

/// <summary>A token and the auth record it belongs to, as an <see cref="IAuthStorage"/> saves them.</summary>
public sealed record AuthState(string Token, JsonObject? Record)
{
    /// <summary>The state as one JSON object <c>{token, record}</c>, for storages that keep text.</summary>
    public string ToJson() => new JsonObject { ["token"] = Token, ["record"] = Record?.DeepClone() }.ToJsonString();

    /// <summary>Reads <see cref="ToJson"/>'s text back; null when it is not such an object.</summary>
    public static AuthState? FromJson(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(json) is JsonObject o && o["token"] is JsonValue t && t.TryGetValue<string>(out var token)
                ? new AuthState(token, o["record"]?.DeepClone() as JsonObject)
                : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
