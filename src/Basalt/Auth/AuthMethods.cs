using System.Text.Json.Nodes;
using Basalt.Collections;

namespace Basalt.Auth;

/// <summary>
/// The <c>auth-methods</c> answer (§7.2): which sign-in methods a collection offers, plus the pre-0.23 fields
/// (<c>authProviders</c>, <c>usernamePassword</c>, <c>emailPassword</c>) that older SDKs still read.
/// </summary>
public static class AuthMethods
{
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
        return new JsonObject
        {
            ["password"] = new JsonObject
            {
                ["enabled"] = passwordEnabled,
                ["identityFields"] = new JsonArray(identityFields.Select(f => (JsonNode?)JsonValue.Create(f)).ToArray()),
            },
            ["oauth2"] = new JsonObject { ["enabled"] = Enabled(collection, "oauth2"), ["providers"] = Providers() },
            ["mfa"] = new JsonObject { ["enabled"] = mfaEnabled, ["duration"] = mfaEnabled ? Duration(collection, "mfa") : 0 },
            ["otp"] = new JsonObject { ["enabled"] = otpEnabled, ["duration"] = otpEnabled ? Duration(collection, "otp") : 0 },
            ["authProviders"] = Providers(),
            ["usernamePassword"] = identityFields.Contains("username"),
            ["emailPassword"] = identityFields.Contains("email"),
        };
    }

    // The OAuth2 providers (with their state and PKCE pair) come with the OAuth2 flow; until then none is offered.
    private static JsonArray Providers() => [];

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
