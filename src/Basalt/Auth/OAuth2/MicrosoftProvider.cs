namespace Basalt.Auth.OAuth2;

/// <summary>Microsoft Entra ID (any tenant): Graph's <c>/me</c> (id, displayName, mail); Graph gives no avatar URL.</summary>
public sealed class MicrosoftProvider : OAuth2Provider
{
    public override string DisplayName => "Microsoft";

    public override string AuthUrl => "https://login.microsoftonline.com/common/oauth2/v2.0/authorize";

    public override string TokenUrl => "https://login.microsoftonline.com/common/oauth2/v2.0/token";

    public override string UserInfoUrl => "https://graph.microsoft.com/v1.0/me";

    public override IReadOnlyList<string> Scopes => ["User.Read"];

    public override async Task<OAuth2User> FetchUserAsync(OAuth2ProviderConfig config, OAuth2Token token, OAuth2Http http, CancellationToken cancellationToken)
    {
        var raw = await http.GetObjectAsync(config.UserInfoUrl, token.AccessToken, cancellationToken);
        return new OAuth2User(Claims.RequiredId(raw, "id"), Claims.Text(raw, "displayName"), "", Claims.Text(raw, "mail"), "", raw);
    }
}
