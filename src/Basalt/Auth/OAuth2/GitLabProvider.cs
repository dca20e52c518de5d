namespace Basalt.Auth.OAuth2;

/// <summary>
/// GitLab (gitlab.com or a self-hosted instance through the URLs): <c>/api/v4/user</c>. Its primary <c>email</c> counts
/// only with a <c>confirmed_at</c>: an instance may let users sign in before confirming it.
/// </summary>
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
            Claims.RequiredId(raw, "id"),
            Claims.Text(raw, "name"),
            Claims.Text(raw, "username"),
            Claims.Text(raw, "confirmed_at").Length > 0 ? Claims.Text(raw, "email") : "",
            Claims.Text(raw, "avatar_url"),
            raw);
    }
}
