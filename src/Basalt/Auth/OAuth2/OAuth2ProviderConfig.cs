using System.Text.Json.Nodes;
using Basalt.Model;

namespace Basalt.Auth.OAuth2;

/// <summary>
/// One entry of a collection's <c>oauth2.providers</c> with the provider's defaults filled in: a URL set in the
/// collection options overrides the provider's default (that is also how a self-hosted GitLab or a test server is used).
/// </summary>
public sealed record OAuth2ProviderConfig(
    OAuth2Provider Provider,
    string Name,
    string DisplayName,
    string ClientId,
    string ClientSecret,
    string AuthUrl,
    string TokenUrl,
    string UserInfoUrl,
    bool Pkce,
    JsonObject Extra)
{
    /// <summary>The configured providers of a collection that Basalt knows, in the configured order.</summary>
    public static IReadOnlyList<OAuth2ProviderConfig> All(Collection collection)
    {
        if (collection.Options["oauth2"] is not JsonObject oauth2 || oauth2["providers"] is not JsonArray providers)
        {
            return [];
        }

        var all = new List<OAuth2ProviderConfig>();
        foreach (var entry in providers.OfType<JsonObject>())
        {
            if (Parse(entry) is { } config)
            {
                all.Add(config);
            }
        }

        return all;
    }

    /// <summary>The named provider's config, or null when the collection doesn't configure it.</summary>
    public static OAuth2ProviderConfig? Find(Collection collection, string name) =>
        All(collection).FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal));

    /// <summary>
    /// The provider's authorization URL for one attempt, ending with <c>&amp;redirect_uri=</c> so the client appends its
    /// own (§7.2). Parameters are sorted by name, as Go's url.Values encodes them.
    /// </summary>
    public string AuthorizationUrl(string state, string codeChallenge)
    {
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["client_id"] = ClientId,
            ["response_type"] = "code",
            ["scope"] = string.Join(' ', Provider.Scopes),
            ["state"] = state,
        };
        if (Pkce)
        {
            parameters["code_challenge"] = codeChallenge;
            parameters["code_challenge_method"] = "S256";
        }

        foreach (var (key, value) in Provider.AuthParameters)
        {
            parameters[key] = value;
        }

        var query = string.Join('&', parameters.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        return AuthUrl + (AuthUrl.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query + "&redirect_uri=";
    }

    /// <summary>True when <c>oauth2.enabled</c> is set.</summary>
    public static bool Enabled(Collection collection) =>
        collection.Options["oauth2"] is JsonObject oauth2 && oauth2["enabled"] is JsonValue v && v.TryGetValue<bool>(out var on) && on;

    /// <summary>The collection's <c>oauth2.mappedFields</c> entry for a key (<c>id</c>, <c>name</c>, <c>username</c>, <c>avatarURL</c>).</summary>
    public static string MappedField(Collection collection, string key) =>
        Text((collection.Options["oauth2"] as JsonObject)?["mappedFields"] as JsonObject, key);

    private static OAuth2ProviderConfig? Parse(JsonObject entry)
    {
        var name = Text(entry, "name");
        if (OAuth2ProviderRegistry.Find(name) is not { } provider)
        {
            return null;
        }

        var pkce = entry["pkce"] is JsonValue p && p.TryGetValue<bool>(out var explicitPkce) ? explicitPkce : provider.Pkce;
        return new OAuth2ProviderConfig(
            provider,
            name,
            Or(Text(entry, "displayName"), provider.DisplayName),
            Text(entry, "clientId"),
            Text(entry, "clientSecret"),
            Or(Text(entry, "authURL"), provider.AuthUrl),
            Or(Text(entry, "tokenURL"), provider.TokenUrl),
            Or(Text(entry, "userInfoURL"), provider.UserInfoUrl),
            pkce,
            entry["extra"] as JsonObject ?? []);
    }

    internal static string Text(JsonObject? json, string key) =>
        json?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    private static string Or(string value, string fallback) => value.Length > 0 ? value : fallback;
}
