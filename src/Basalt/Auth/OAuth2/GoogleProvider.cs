namespace Basalt.Auth.OAuth2;

/// <summary>Google: OpenID Connect userinfo (sub, name, email with email_verified, picture).</summary>
public sealed class GoogleProvider : OAuth2Provider
{
    public override string DisplayName => "Google";

    public override string AuthUrl => "https://accounts.google.com/o/oauth2/v2/auth";

    public override string TokenUrl => "https://oauth2.googleapis.com/token";

    public override string UserInfoUrl => "https://www.googleapis.com/oauth2/v3/userinfo";

    public override IReadOnlyList<string> Scopes =>
        ["https://www.googleapis.com/auth/userinfo.profile", "https://www.googleapis.com/auth/userinfo.email"];

    public override async Task<OAuth2User> FetchUserAsync(OAuth2ProviderConfig config, OAuth2Token token, OAuth2Http http, CancellationToken cancellationToken) =>
        OidcProvider.Map(await http.GetObjectAsync(config.UserInfoUrl, token.AccessToken, cancellationToken));
}
