using System.Text.Json.Nodes;
using Basalt.Errors;

namespace Basalt.Auth.OAuth2;

/// <summary>
/// A generic OpenID Connect provider (<c>oidc</c>, <c>oidc2</c>, <c>oidc3</c>): every URL comes from the collection.
/// The user is read from <c>userInfoURL</c>; when <c>extra.jwksURL</c> is set the id_token is verified too (signature,
/// audience, expiry, and issuer when <c>extra.issuers</c> lists any), and it alone is used when there is no userInfoURL.
/// </summary>
public sealed class OidcProvider(string displayName) : OAuth2Provider
{
    public override string DisplayName => displayName;

    public override IReadOnlyList<string> Scopes => ["openid", "email", "profile"];

    public override async Task<OAuth2User> FetchUserAsync(OAuth2ProviderConfig config, OAuth2Token token, OAuth2Http http, CancellationToken cancellationToken)
    {
        var jwksUrl = OAuth2ProviderConfig.Text(config.Extra, "jwksURL");
        JsonObject? idClaims = null;
        if (jwksUrl.Length > 0 && (token.IdToken.Length > 0 || config.UserInfoUrl.Length == 0))
        {
            idClaims = await http.ValidateIdTokenAsync(token.IdToken, jwksUrl, config.ClientId, Issuers(config.Extra), cancellationToken);
        }

        JsonObject raw;
        if (config.UserInfoUrl.Length > 0)
        {
            raw = await http.GetObjectAsync(config.UserInfoUrl, token.AccessToken, cancellationToken);

            // OpenID Connect Core 5.3.2: the userinfo subject must be the id_token's, or the answer is someone else's.
            if (idClaims is not null && Claims.Text(idClaims, "sub") != Claims.Text(raw, "sub"))
            {
                throw ApiError.BadRequest(OAuth2Http.UserFailed);
            }
        }
        else
        {
            raw = idClaims ?? throw ApiError.BadRequest(OAuth2Http.UserFailed);
        }

        return Map(raw);
    }

    /// <summary>The standard claims; the email only when <c>email_verified</c> is true.</summary>
    internal static OAuth2User Map(JsonObject raw) => new(
        Claims.RequiredId(raw, "sub"),
        Claims.Text(raw, "name"),
        Claims.Text(raw, "preferred_username"),
        Claims.Flag(raw, "email_verified") ? Claims.Text(raw, "email") : "",
        Claims.Text(raw, "picture"),
        raw);

    internal static IReadOnlyList<string> Issuers(JsonObject extra) =>
        extra["issuers"] is JsonArray list
            ? [.. list.OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : "").Where(s => s.Length > 0)]
            : [];
}
