using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Basalt.Auth.OAuth2;
using Basalt.Model;

namespace Basalt.Auth;

/// <summary>
/// The <c>auth-methods</c> answer (§7.2): which sign-in methods a collection offers, plus the pre-0.23 fields
/// (<c>authProviders</c>, <c>usernamePassword</c>, <c>emailPassword</c>) that older SDKs still read.
/// </summary>
public static class AuthMethods
{
    private const string StateAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /// <summary>
    /// Builds the answer for an auth collection. As in PocketBase, a disabled method reports no identity fields and a
    /// zero duration, so a client can't learn the configuration of what it can't use.
    /// </summary>
    public static JsonObject ToJson(Collection collection)
    {
        var passwordEnabled = AuthCollectionOptions.PasswordAuthEnabled(collection);
        var identityFields = passwordEnabled ? AuthCollectionOptions.IdentityFields(collection) : [];
        var mfaEnabled = Enabled(collection, "mfa");
        var otpEnabled = Enabled(collection, "otp");
        var oauth2Enabled = OAuth2ProviderConfig.Enabled(collection);
        var providers = oauth2Enabled ? Providers(collection) : [];
        return new JsonObject
        {
            ["password"] = new JsonObject
            {
                ["enabled"] = passwordEnabled,
                ["identityFields"] = new JsonArray(identityFields.Select(f => (JsonNode?)JsonValue.Create(f)).ToArray()),
            },
            ["oauth2"] = new JsonObject { ["enabled"] = oauth2Enabled, ["providers"] = providers },
            ["mfa"] = new JsonObject { ["enabled"] = mfaEnabled, ["duration"] = mfaEnabled ? Duration(collection, "mfa") : 0 },
            ["otp"] = new JsonObject { ["enabled"] = otpEnabled, ["duration"] = otpEnabled ? Duration(collection, "otp") : 0 },
            ["authProviders"] = providers.DeepClone(),
            ["usernamePassword"] = identityFields.Contains("username"),
            ["emailPassword"] = identityFields.Contains("email"),
        };
    }

    /// <summary>
    /// One entry per configured provider Basalt implements, each with a fresh random state and PKCE pair: the client
    /// keeps the verifier and sends it back with the code, so the server stores nothing between the two calls.
    /// </summary>
    private static JsonArray Providers(Collection collection)
    {
        var providers = new JsonArray();
        foreach (var config in OAuth2ProviderConfig.All(collection))
        {
            var state = RandomNumberGenerator.GetString(StateAlphabet, 30);
            var verifier = config.Pkce ? Pkce.NewVerifier() : "";
            var challenge = config.Pkce ? Pkce.Challenge(verifier) : "";
            providers.Add((JsonNode?)new JsonObject
            {
                ["name"] = config.Name,
                ["displayName"] = config.DisplayName,
                ["state"] = state,
                ["authURL"] = config.AuthorizationUrl(state, challenge),
                ["codeVerifier"] = verifier,
                ["codeChallenge"] = challenge,
                ["codeChallengeMethod"] = config.Pkce ? "S256" : "",
                ["logo"] = "",
            });
        }

        return providers;
    }

    private static bool Enabled(Collection collection, string section) =>
        collection.Options[section] is JsonObject options
        && options["enabled"] is JsonValue v
        && v.TryGetValue<bool>(out var enabled)
        && enabled;

    private static long Duration(Collection collection, string section) =>
        collection.Options[section] is JsonObject options && AuthCollectionOptions.Number(options["duration"]) is { } seconds
            ? (long)seconds
            : 0;
}
