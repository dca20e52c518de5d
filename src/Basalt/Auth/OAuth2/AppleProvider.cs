namespace Basalt.Auth.OAuth2;

/// <summary>
/// Sign in with Apple: there is no userinfo endpoint, so the user is the verified id_token. <c>userInfoURL</c> is where
/// Apple's signing keys (JWKS) are read; the issuer must be Apple's unless <c>extra.issuers</c> says otherwise.
/// </summary>
public sealed class AppleProvider : OAuth2Provider
{
    private const string AppleIssuer = "https://appleid.apple.com";

    public override string DisplayName => "Apple";

    public override string AuthUrl => "https://appleid.apple.com/auth/authorize";

    public override string TokenUrl => "https://appleid.apple.com/auth/token";

    public override string UserInfoUrl => "https://appleid.apple.com/auth/keys";

    public override IReadOnlyList<string> Scopes => ["name", "email"];

    // Apple only returns to the client with a POST when the name or email scope is asked for.
    public override IReadOnlyList<KeyValuePair<string, string>> AuthParameters => [new("response_mode", "form_post")];

    public override async Task<OAuth2User> FetchUserAsync(OAuth2ProviderConfig config, OAuth2Token token, OAuth2Http http, CancellationToken cancellationToken)
    {
        var issuers = OidcProvider.Issuers(config.Extra);
        var raw = await http.ValidateIdTokenAsync(
            token.IdToken, config.UserInfoUrl, config.ClientId, issuers.Count > 0 ? issuers : [AppleIssuer], cancellationToken);
        return new OAuth2User(
            Claims.RequiredId(raw, "sub"), "", "", Claims.Flag(raw, "email_verified") ? Claims.Text(raw, "email") : "", "", raw);
    }
}
