using System.Text.Json.Nodes;

namespace Basalt.Auth.OAuth2;

/// <summary>
/// GitHub: <c>/user</c> (numeric id, login, name, avatar_url). A private profile has no email there, so the primary
/// verified address is read from <c>/user/emails</c> next to the configured user URL.
/// </summary>
public sealed class GitHubProvider : OAuth2Provider
{
    public override string DisplayName => "GitHub";

    public override string AuthUrl => "https://github.com/login/oauth/authorize";

    public override string TokenUrl => "https://github.com/login/oauth/access_token";

    public override string UserInfoUrl => "https://api.github.com/user";

    public override IReadOnlyList<string> Scopes => ["read:user", "user:email"];

    public override async Task<OAuth2User> FetchUserAsync(OAuth2ProviderConfig config, OAuth2Token token, OAuth2Http http, CancellationToken cancellationToken)
    {
        var raw = await http.GetObjectAsync(config.UserInfoUrl, token.AccessToken, cancellationToken);
        var email = Claims.Text(raw, "email");
        if (email.Length == 0)
        {
            var emails = await http.GetJsonAsync(config.UserInfoUrl.TrimEnd('/') + "/emails", token.AccessToken, cancellationToken);
            email = (emails as JsonArray ?? []).OfType<JsonObject>()
                .Where(e => Claims.Flag(e, "primary") && Claims.Flag(e, "verified"))
                .Select(e => Claims.Text(e, "email"))
                .FirstOrDefault() ?? "";
        }

        return new OAuth2User(
            Claims.RequiredId(raw, "id"), Claims.Text(raw, "name"), Claims.Text(raw, "login"), email, Claims.Text(raw, "avatar_url"), raw);
    }
}
