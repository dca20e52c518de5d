namespace Basalt.Auth.OAuth2;

/// <summary>GitLab (gitlab.com or a self-hosted instance through the URLs): <c>/api/v4/user</c>, whose email is confirmed.</summary>
public sealed class GitLabProvider : OAuth2Provider
{
    public override string DisplayName => "GitLab";

    public override string AuthUrl => "https://gitlab.com/oauth/authorize";

    public override string TokenUrl => "https://gitlab.com/oauth/token";

    public override string UserInfoUrl => "https://gitlab.com/api/v4/user";

    public override IReadOnlyList<string> Scopes => ["read_user"];

    public override async Task<OAuth2User> FetchUserAsync(OAuth2ProviderConfig config, OAuth2Token token, OAuth2Http http, CancellationToken cancellationToken)
    {
        var raw = await http.GetObjectAsync(config.UserInfoUrl, token.AccessToken, cancellationToken);
        return new OAuth2User(
            Claims.RequiredId(raw, "id"), Claims.Text(raw, "name"), Claims.Text(raw, "username"), Claims.Text(raw, "email"), Claims.Text(raw, "avatar_url"), raw);
    }
}
