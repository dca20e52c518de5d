using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Basalt.Auth.OAuth2;

/// <summary>
/// Microsoft Entra ID (any tenant): Graph's <c>/me</c> (id, displayName); Graph gives no avatar URL. Graph's
/// <c>mail</c> is never taken as the email: any tenant can set any address there without proving it ("nOAuth"), and
/// the sign-in links an existing account by email. The email comes from the id_token, and only when it vouches for it.
/// </summary>
public sealed class MicrosoftProvider : OAuth2Provider
{
    public override string DisplayName => "Microsoft";

    public override string AuthUrl => "https://login.microsoftonline.com/common/oauth2/v2.0/authorize";

    public override string TokenUrl => "https://login.microsoftonline.com/common/oauth2/v2.0/token";

    public override string UserInfoUrl => "https://graph.microsoft.com/v1.0/me";

    // openid and email make the token endpoint return an id_token with the email claims.
    public override IReadOnlyList<string> Scopes => ["User.Read", "openid", "email"];

    public override async Task<OAuth2User> FetchUserAsync(OAuth2ProviderConfig config, OAuth2Token token, OAuth2Http http, CancellationToken cancellationToken)
    {
        var raw = await http.GetObjectAsync(config.UserInfoUrl, token.AccessToken, cancellationToken);
        var id = Claims.RequiredId(raw, "id");
        return new OAuth2User(id, Claims.Text(raw, "displayName"), "", VerifiedEmail(token.IdToken, config.ClientId, id), "", raw);
    }

    /// <summary>
    /// The id_token's <c>email</c> when the token marks it verified (<c>email_verified</c>, or <c>xms_edov</c>: the
    /// email's domain is verified by the tenant that owns it), is for this client and, when it names the object id
    /// (<c>oid</c>), for the Graph user; else "". The token came straight from the token endpoint over TLS, which OpenID
    /// Connect Core §3.1.3.7 accepts in place of checking its signature.
    /// </summary>
    internal static string VerifiedEmail(string idToken, string clientId, string graphId)
    {
        JsonObject? claims;
        try
        {
            claims = idToken.Length == 0 ? null : JsonNode.Parse(Base64UrlEncoder.Decode(new JsonWebToken(idToken).EncodedPayload)) as JsonObject;
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenMalformedException or System.Text.Json.JsonException or FormatException)
        {
            return "";
        }

        if (claims is null || !Audience(claims).Contains(clientId) || (Claims.Text(claims, "oid") is { Length: > 0 } oid && oid != graphId))
        {
            return "";
        }

        return Claims.Flag(claims, "email_verified") || Claims.Flag(claims, "xms_edov") ? Claims.Text(claims, "email") : "";
    }

    private static IEnumerable<string> Audience(JsonObject claims) => claims["aud"] switch
    {
        JsonArray list => list.OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : ""),
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        _ => [],
    };
}
