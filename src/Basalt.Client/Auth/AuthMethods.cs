using System.Text.Json.Nodes;

namespace Basalt.Client.Auth;

/// <summary>What an auth collection offers (<c>GET …/auth-methods</c>): password, OTP, MFA and the OAuth2 providers.</summary>
public sealed record AuthMethods(
    bool PasswordEnabled,
    IReadOnlyList<string> IdentityFields,
    bool OtpEnabled,
    bool MfaEnabled,
    bool OAuth2Enabled,
    IReadOnlyList<OAuth2Provider> Providers)
{
    internal static AuthMethods FromJson(JsonNode? node)
    {
        var body = JsonRead.Object(node);
        var password = JsonRead.Object(body["password"]);
        var oauth2 = JsonRead.Object(body["oauth2"]);
        return new AuthMethods(
            JsonRead.Bool(password["enabled"]),
            (password["identityFields"] as JsonArray ?? []).Select(f => JsonRead.String(f) ?? "").ToList(),
            JsonRead.Bool(JsonRead.Object(body["otp"])["enabled"]),
            JsonRead.Bool(JsonRead.Object(body["mfa"])["enabled"]),
            JsonRead.Bool(oauth2["enabled"]),
            (oauth2["providers"] as JsonArray ?? []).OfType<JsonObject>().Select(OAuth2Provider.FromJson).ToList());
    }
}

/// <summary>
/// One OAuth2 provider of <see cref="AuthMethods"/>: send the user to <see cref="AuthUrl"/> with your redirect URL
/// appended, keep <see cref="State"/> and <see cref="CodeVerifier"/>, then call <c>AuthWithOAuth2CodeAsync</c> with the code.
/// </summary>
public sealed record OAuth2Provider(string Name, string DisplayName, string State, string AuthUrl, string CodeVerifier, string CodeChallenge, string CodeChallengeMethod)
{
    internal static OAuth2Provider FromJson(JsonObject p) => new(
        JsonRead.String(p["name"]) ?? "",
        JsonRead.String(p["displayName"]) ?? "",
        JsonRead.String(p["state"]) ?? "",
        JsonRead.String(p["authURL"]) ?? "",
        JsonRead.String(p["codeVerifier"]) ?? "",
        JsonRead.String(p["codeChallenge"]) ?? "",
        JsonRead.String(p["codeChallengeMethod"]) ?? "");
}
