using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Basalt.Dashboard.Services;

/// <summary>
/// The claims of a JWT read without checking its signature: only for showing and routing (which collection a mailed
/// token belongs to); the server checks every token it is given.
/// </summary>
public static class TokenPayload
{
    public static JsonObject? Read(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        var base64 = parts[1].Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        try
        {
            return JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(base64))) as JsonObject;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }
}
