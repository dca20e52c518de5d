using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Basalt.Errors;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Basalt.Auth.OAuth2;

/// <summary>
/// Basalt's outgoing OAuth2 calls: the code exchange, bearer GETs of user info, and id_token validation against a JWKS.
/// Every failure of the provider becomes a 400 envelope with PocketBase's message; the provider's own answer is never
/// echoed, since it may repeat the client secret or the code.
/// </summary>
public sealed class OAuth2Http(IHttpClientFactory clients, TimeProvider time, ILogger<OAuth2Http> logger)
{
    public const string ClientName = "basalt-oauth2";
    public const string TokenFailed = "Failed to fetch OAuth2 token.";
    public const string UserFailed = "Failed to fetch OAuth2 user.";

    /// <summary>Exchanges an authorization code (with the PKCE verifier when the provider uses PKCE) for tokens.</summary>
    public async Task<OAuth2Token> ExchangeCodeAsync(OAuth2ProviderConfig config, OAuth2Exchange exchange, CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "authorization_code"),
            new("code", exchange.Code),
            new("redirect_uri", exchange.RedirectUrl),
            new("client_id", config.ClientId),
            new("client_secret", config.ClientSecret),
        };
        if (config.Pkce)
        {
            form.Add(new("code_verifier", exchange.CodeVerifier));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, Absolute(config.TokenUrl, TokenFailed)) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var body = await SendAsync(request, TokenFailed, cancellationToken);

        // GitHub answers form-encoded unless told otherwise; accept both shapes.
        var values = ParseTokenBody(body) ?? throw ApiError.BadRequest(TokenFailed);
        var accessToken = values.GetValueOrDefault("access_token") ?? "";
        if (accessToken.Length == 0)
        {
            throw ApiError.BadRequest(TokenFailed);
        }

        DateTimeOffset? expiry = long.TryParse(values.GetValueOrDefault("expires_in"), out var seconds) && seconds > 0
            ? time.GetUtcNow().AddSeconds(seconds)
            : null;
        return new OAuth2Token(accessToken, values.GetValueOrDefault("refresh_token") ?? "", expiry, values.GetValueOrDefault("id_token") ?? "");
    }

    /// <summary>GETs a JSON document with the access token as a bearer.</summary>
    public async Task<JsonNode> GetJsonAsync(string url, string accessToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Absolute(url, UserFailed));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        // GitHub refuses API calls without a User-Agent.
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Basalt", "1.0"));
        var body = await SendAsync(request, UserFailed, cancellationToken);
        try
        {
            return JsonNode.Parse(body) ?? throw ApiError.BadRequest(UserFailed);
        }
        catch (JsonException)
        {
            throw ApiError.BadRequest(UserFailed);
        }
    }

    /// <summary>GETs a JSON object; anything else is a failed user fetch.</summary>
    public async Task<JsonObject> GetObjectAsync(string url, string accessToken, CancellationToken cancellationToken) =>
        await GetJsonAsync(url, accessToken, cancellationToken) as JsonObject ?? throw ApiError.BadRequest(UserFailed);

    /// <summary>
    /// The claims of an id_token whose RS/ES signature matches a key of <paramref name="jwksUrl"/>, whose audience is
    /// the client id, which has not expired and, when <paramref name="issuers"/> is not empty, was issued by one of them.
    /// </summary>
    public async Task<JsonObject> ValidateIdTokenAsync(
        string idToken, string jwksUrl, string clientId, IReadOnlyList<string> issuers, CancellationToken cancellationToken)
    {
        if (idToken.Length == 0 || jwksUrl.Length == 0)
        {
            throw ApiError.BadRequest(UserFailed);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, Absolute(jwksUrl, UserFailed));
        var body = await SendAsync(request, UserFailed, cancellationToken);
        JsonWebKeySet keys;
        try
        {
            keys = new JsonWebKeySet(body);
        }
        catch (Exception e) when (e is ArgumentException or JsonException or FormatException)
        {
            throw ApiError.BadRequest(UserFailed);
        }

        var parameters = new TokenValidationParameters
        {
            IssuerSigningKeys = keys.GetSigningKeys(),
            ValidAudience = clientId,
            ValidateAudience = true,
            ValidIssuers = issuers,
            ValidateIssuer = issuers.Count > 0,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = TimeSpan.FromMinutes(1),
            LifetimeValidator = (notBefore, expires, _, _) => ValidLifetime(notBefore, expires),
        };
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(idToken, parameters);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            throw ApiError.BadRequest(UserFailed);
        }

        var payload = Base64UrlEncoder.Decode(jwt.EncodedPayload);
        return JsonNode.Parse(payload) as JsonObject ?? throw ApiError.BadRequest(UserFailed);
    }

    private bool ValidLifetime(DateTime? notBefore, DateTime? expires)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var skew = TimeSpan.FromMinutes(1);
        return expires is { } exp && exp.ToUniversalTime() + skew > now && (notBefore is not { } nbf || nbf.ToUniversalTime() - skew <= now);
    }

    private async Task<string> SendAsync(HttpRequestMessage request, string failure, CancellationToken cancellationToken)
    {
        // Scheme, host and path only: a query could carry a code or a secret.
        var endpoint = request.RequestUri is { } uri ? uri.GetLeftPart(UriPartial.Path) : "";
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return body;
            }

            // The provider's body is not logged (it may repeat the code or the secret), only its OAuth2 error code.
            var answer = $"HTTP {(int)response.StatusCode}{ErrorCode(body)}";
            if (response.StatusCode == System.Net.HttpStatusCode.BadRequest && request.Method == HttpMethod.Post)
            {
                Log.OAuth2ProviderRefusedCode(logger, endpoint, answer);
            }
            else
            {
                Log.OAuth2ProviderCallFailed(logger, null, endpoint, answer);
            }

            throw ApiError.BadRequest(failure);
        }
        catch (HttpRequestException e)
        {
            Log.OAuth2ProviderCallFailed(logger, e, endpoint, "unreachable");
            throw ApiError.BadRequest(failure);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The client's timeout, not the caller going away.
            Log.OAuth2ProviderCallFailed(logger, null, endpoint, "timed out");
            throw ApiError.BadRequest(failure);
        }
    }

    /// <summary>The standard <c>error</c> member of an OAuth2 error answer (e.g. <c>invalid_client</c>), if it is a plain code.</summary>
    private static string ErrorCode(string body)
    {
        try
        {
            return JsonNode.Parse(body) is JsonObject json && json["error"] is JsonValue v && v.TryGetValue<string>(out var code)
                && code.Length is > 0 and <= 64 && code.All(c => char.IsAsciiLetterLower(c) || c == '_')
                ? " " + code
                : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    private static Dictionary<string, string>? ParseTokenBody(string body)
    {
        var trimmed = body.TrimStart();
        if (trimmed.StartsWith('{'))
        {
            try
            {
                if (JsonNode.Parse(trimmed) is not JsonObject json)
                {
                    return null;
                }

                return json.Where(p => p.Value is JsonValue)
                    .ToDictionary(p => p.Key, p => p.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : p.Value!.ToJsonString(), StringComparer.Ordinal);
            }
            catch (JsonException)
            {
                return null;
            }
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in trimmed.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString((at < 0 ? pair : pair[..at]).Replace('+', ' '));
            values[key] = at < 0 ? "" : Uri.UnescapeDataString(pair[(at + 1)..].Replace('+', ' '));
        }

        return values;
    }

    private static Uri Absolute(string url, string failure) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri
            : throw ApiError.BadRequest(failure);
}
