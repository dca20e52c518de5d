namespace Basalt.Auth.OAuth2;

/// <summary>
/// The providers Basalt can sign in with, by PocketBase's provider name. Other names of
/// <see cref="Collections.OAuth2Providers"/> may be stored (so PocketBase data imports) but are not offered.
/// </summary>
public static class OAuth2ProviderRegistry
{
    private static readonly Dictionary<string, OAuth2Provider> Providers = new(StringComparer.Ordinal)
    {
        ["oidc"] = new OidcProvider("OpenID Connect"),
        ["oidc2"] = new OidcProvider("(2) OpenID Connect"),
        ["oidc3"] = new OidcProvider("(3) OpenID Connect"),
        ["google"] = new GoogleProvider(),
        ["github"] = new GitHubProvider(),
        ["microsoft"] = new MicrosoftProvider(),
        ["apple"] = new AppleProvider(),
        ["gitlab"] = new GitLabProvider(),
        ["discord"] = new DiscordProvider(),
    };

    public static IEnumerable<string> Names => Providers.Keys;

    public static OAuth2Provider? Find(string name) => Providers.GetValueOrDefault(name);
}
