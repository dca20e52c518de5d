using System.Text.Json.Nodes;

namespace Basalt.Collections;

/// <summary>The OAuth2 providers an auth collection may configure (§2.6), with their display names.</summary>
public static class OAuth2Providers
{
    public static readonly IReadOnlyList<(string Name, string DisplayName)> All =
    [
        ("apple", "Apple"), ("bitbucket", "Bitbucket"), ("box", "Box"), ("discord", "Discord"), ("facebook", "Facebook"),
        ("gitea", "Gitea"), ("gitee", "Gitee"), ("github", "GitHub"), ("gitlab", "GitLab"), ("google", "Google"),
        ("instagram2", "Instagram"), ("kakao", "Kakao"), ("lark", "Lark"), ("linear", "Linear"), ("livechat", "LiveChat"),
        ("mailcow", "mailcow"), ("microsoft", "Microsoft"), ("monday", "monday.com"), ("notion", "Notion"),
        ("oidc", "OpenID Connect"), ("oidc2", "(2) OpenID Connect"), ("oidc3", "(3) OpenID Connect"), ("patreon", "Patreon"),
        ("planningcenter", "Planning Center"), ("spotify", "Spotify"), ("strava", "Strava"), ("trakt", "Trakt"),
        ("twitch", "Twitch"), ("twitter", "X/Twitter"), ("vk", "ВКонтакте"), ("wakatime", "WakaTime"), ("yandex", "Yandex"),
    ];

    /// <summary><c>[{name, displayName, logo}]</c>; logos are served by the dashboard, which comes later.</summary>
    public static JsonArray ToJson() => new(All.Select(p => (JsonNode)new JsonObject
    {
        ["name"] = p.Name,
        ["displayName"] = p.DisplayName,
        ["logo"] = "",
    }).ToArray());
}
