namespace Basalt.Auth.OAuth2;

/// <summary>
/// Discord: <c>/users/@me</c>. The email counts only when <c>verified</c>; the avatar is a CDN URL built from the
/// avatar hash, and the display name is <c>global_name</c> when the user set one.
/// </summary>
public sealed class DiscordProvider : OAuth2Provider
{
    public override string DisplayName => "Discord";

    public override string AuthUrl => "https://discord.com/api/oauth2/authorize";

    public override string TokenUrl => "https://discord.com/api/oauth2/token";

    public override string UserInfoUrl => "https://discord.com/api/users/@me";

    public override IReadOnlyList<string> Scopes => ["identify", "email"];

    public override async Task<OAuth2User> FetchUserAsync(OAuth2ProviderConfig config, OAuth2Token token, OAuth2Http http, CancellationToken cancellationToken)
    {
        var raw = await http.GetObjectAsync(config.UserInfoUrl, token.AccessToken, cancellationToken);
        var id = Claims.RequiredId(raw, "id");
        var username = Claims.Text(raw, "username");
        var globalName = Claims.Text(raw, "global_name");
        var avatar = Claims.Text(raw, "avatar");
        return new OAuth2User(
            id,
            globalName.Length > 0 ? globalName : username,
            username,
            Claims.Flag(raw, "verified") ? Claims.Text(raw, "email") : "",
            avatar.Length > 0 ? $"https://cdn.discordapp.com/avatars/{id}/{avatar}.png" : "",
            raw);
    }
}
