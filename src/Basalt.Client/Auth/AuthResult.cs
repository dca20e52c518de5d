using System.Text.Json.Nodes;

namespace Basalt.Client.Auth;

/// <summary>A sign-in's answer: the token, the auth record, and (OAuth2 only) the provider's data in <see cref="Meta"/>.</summary>
public sealed record AuthResult(string Token, JsonObject Record, JsonObject? Meta)
{
    internal static AuthResult FromJson(JsonNode? node)
    {
        var body = JsonRead.Object(node);
        return new AuthResult(
            JsonRead.String(body["token"]) ?? throw new ClientResponseException("The server's auth answer has no token."),
            JsonRead.Object(body["record"]?.DeepClone()),
            body["meta"]?.DeepClone() as JsonObject);
    }
}
