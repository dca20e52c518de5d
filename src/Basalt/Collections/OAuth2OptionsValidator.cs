using System.Text.Json.Nodes;
using Basalt.Errors;
using Basalt.Model;

namespace Basalt.Collections;

/// <summary>
/// The checks on <c>oauth2</c> in an auth collection's options: known, unique provider names with a client id and
/// secret, http(s) URLs, a generic OpenID Connect provider's own endpoints when OAuth2 is on, and mapped fields that
/// exist. A client secret sent back blank keeps the stored one, since clients never see it.
/// </summary>
internal static class OAuth2OptionsValidator
{
    private static readonly string[] UrlKeys = ["authURL", "tokenURL", "userInfoURL"];
    private static readonly string[] MappedKeys = ["id", "name", "username", "avatarURL"];
    private static readonly string[] CredentialKeys = ["clientId", "clientSecret"];
    private static readonly string[] EndpointKeys = ["authURL", "tokenURL"];

    /// <param name="secretsOptional">
    /// True for a migration's snapshot, which never carries client secrets: a provider this database has no secret for
    /// yet is kept without one (its sign-ins fail until a superuser sets it) instead of refusing the whole migration.
    /// </param>
    public static void Check(Collection candidate, Collection? previous, NestedErrors errors, bool secretsOptional = false)
    {
        if (candidate.Options["oauth2"] is not JsonObject oauth2)
        {
            return;
        }

        var enabled = oauth2["enabled"] is JsonValue on && on.TryGetValue<bool>(out var isOn) && isOn;
        var providers = oauth2["providers"] as JsonArray ?? [];
        var stored = (previous?.Options["oauth2"] as JsonObject)?["providers"] as JsonArray ?? [];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < providers.Count; i++)
        {
            var path = "oauth2.providers." + i + ".";
            if (providers[i] is not JsonObject provider)
            {
                errors.Add(path[..^1], "validation_invalid_value", "Must be an object.");
                continue;
            }

            var name = Text(provider, "name");
            KeepStoredSecret(provider, name, stored);
            if (name.Length == 0)
            {
                errors.Add(path + "name", "validation_required", "Cannot be blank.");
            }
            else if (!OAuth2Providers.All.Any(p => p.Name == name))
            {
                errors.Add(path + "name", "validation_unknown_provider", $"Provider with name \"{name}\" is missing or is not registered.");
            }
            else if (!seen.Add(name))
            {
                errors.Add(path + "name", "validation_duplicated_provider", $"The provider \"{name}\" is already registered.");
            }

            foreach (var key in CredentialKeys.Where(k => Text(provider, k).Length == 0 && !(secretsOptional && k == "clientSecret")))
            {
                errors.Add(path + key, "validation_required", "Cannot be blank.");
            }

            foreach (var key in UrlKeys)
            {
                var url = Text(provider, key);
                if (url.Length > 0 && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
                {
                    errors.Add(path + key, "validation_is_url", "Must be a valid URL.");
                }
            }

            // A generic OpenID Connect provider has no default endpoints to fall back on.
            if (enabled && name.StartsWith("oidc", StringComparison.Ordinal))
            {
                foreach (var key in EndpointKeys.Where(k => Text(provider, k).Length == 0))
                {
                    errors.Add(path + key, "validation_required", "Cannot be blank.");
                }
            }
        }

        var mapped = oauth2["mappedFields"] as JsonObject ?? [];
        foreach (var key in MappedKeys)
        {
            var field = Text(mapped, key);
            if (field.Length > 0 && candidate.FindField(field) is null)
            {
                errors.Add("oauth2.mappedFields." + key, "validation_missing_field", "Must be the name of an existing field.");
            }
        }
    }

    private static void KeepStoredSecret(JsonObject provider, string name, JsonArray stored)
    {
        if (Text(provider, "clientSecret").Length > 0)
        {
            return;
        }

        var match = stored.OfType<JsonObject>().FirstOrDefault(p => Text(p, "name") == name);
        if (match is not null && Text(match, "clientSecret") is { Length: > 0 } secret)
        {
            provider["clientSecret"] = secret;
        }
    }

    private static string Text(JsonObject json, string key) =>
        json[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
