using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Basalt.Tests.Fixtures;

/// <summary>
/// An OpenID Connect / OAuth2 provider on a loopback port, speaking the real protocol: <c>/authorize</c> (auto-consent
/// for the user named by <c>login_hint</c>, or a sign-in page that asks for it, redirecting back with code and state), <c>/token</c> (client secret, single-use
/// code, redirect_uri and the PKCE S256 verifier checked; RS256 id_token), <c>/userinfo</c>, discovery and <c>/jwks</c>,
/// plus user endpoints shaped like GitHub, Microsoft Graph, GitLab and Discord for the named providers.
/// </summary>
public sealed class OidcTestProvider : IAsyncLifetime
{
    public const string ClientId = "basalt-test-client";
    public const string ClientSecret = "basalt-test-secret-do-not-echo";
    private const string KeyId = "test-key";

    private readonly RSA _key = RSA.Create(2048);
    private readonly RSA _rogueKey = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, TestUser> _users = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Grant> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TestUser> _accessTokens = new(StringComparer.Ordinal);
    private WebApplication? _app;

    /// <summary>What the id_token of a user gets wrong, for the refusal tests.</summary>
    public enum IdTokenFlaw
    {
        None,
        BadSignature,
        WrongAudience,
        Expired,
    }

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1");

    /// <summary>The issuer (<c>iss</c>) of every id_token: the base address without its trailing slash.</summary>
    public string Issuer => BaseAddress.ToString().TrimEnd('/');

    public string Url(string path) => Issuer + path;

    /// <summary>Registers a user; the returned key goes into the authorization URL as <c>login_hint</c>.</summary>
    public string AddUser(TestUser user)
    {
        var key = Guid.NewGuid().ToString("N");
        _users[key] = user;
        return key;
    }

    /// <summary>
    /// Opens <paramref name="authUrl"/> (the provider's URL from auth-methods with the redirect URL appended) as the user's
    /// browser would, consents as <paramref name="loginHint"/>, and returns what the redirect back carried.
    /// </summary>
    public async Task<(string Code, string State)> AuthorizeAsync(string authUrl, string loginHint)
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var browser = new HttpClient(handler);
        using var response = await browser.GetAsync(new Uri(authUrl + "&login_hint=" + loginHint));
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"authorize answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        var query = ParseQuery(response.Headers.Location!.Query);
        return (query["code"], query["state"]);
    }

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapGet("/authorize", Authorize);
        _app.MapPost("/token", (Delegate)TokenAsync);
        _app.MapGet("/.well-known/openid-configuration", () => Results.Json(new JsonObject
        {
            ["issuer"] = Issuer,
            ["authorization_endpoint"] = Url("/authorize"),
            ["token_endpoint"] = Url("/token"),
            ["userinfo_endpoint"] = Url("/userinfo"),
            ["jwks_uri"] = Url("/jwks"),
            ["code_challenge_methods_supported"] = new JsonArray("S256"),
        }));
        _app.MapGet("/jwks", Jwks);
        _app.MapGet("/userinfo", (HttpContext c) => WithUser(c, OidcClaims));
        _app.MapGet("/user", (HttpContext c) => WithUser(c, GitHubUser));
        _app.MapGet("/user/emails", (HttpContext c) => WithUser(c, GitHubEmails));
        _app.MapGet("/me", (HttpContext c) => WithUser(c, MicrosoftUser));
        _app.MapGet("/api/v4/user", (HttpContext c) => WithUser(c, GitLabUser));
        _app.MapGet("/users/@me", (HttpContext c) => WithUser(c, DiscordUser));
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _key.Dispose();
        _rogueKey.Dispose();
    }

    private IResult Authorize(HttpContext context)
    {
        var q = context.Request.Query;
        var redirect = q["redirect_uri"].ToString();
        var challenge = q["code_challenge"].ToString();
        if (q["client_id"] != ClientId || q["response_type"] != "code" || q["state"].ToString().Length == 0
            || !Uri.TryCreate(redirect, UriKind.Absolute, out _)
            || (challenge.Length > 0 && q["code_challenge_method"] != "S256"))
        {
            return Results.BadRequest(new { error = "invalid_request" });
        }

        var separator = redirect.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        var state = Uri.EscapeDataString(q["state"].ToString());
        if (!q.ContainsKey("login_hint"))
        {
            return SignInPage(q);
        }

        if (q.ContainsKey("deny"))
        {
            return Results.Redirect($"{redirect}{separator}error=access_denied&state={state}");
        }

        if (!_users.TryGetValue(q["login_hint"].ToString(), out var user))
        {
            return Results.BadRequest(new { error = "login_required" });
        }

        var code = RandomNumberGenerator.GetHexString(32, lowercase: true);
        _codes[code] = new Grant(redirect, challenge, user);
        return Results.Redirect($"{redirect}{separator}code={code}&state={state}");
    }

    /// <summary>
    /// The provider's own sign-in page, for a browser that comes without <c>login_hint</c>: the user types the key of
    /// <see cref="AddUser"/> as the account and allows (or denies) the app; the form comes back to <c>/authorize</c>.
    /// </summary>
    private static IResult SignInPage(IQueryCollection query)
    {
        var hidden = string.Concat(query.Select(p =>
            $"<input type=\"hidden\" name=\"{WebUtility.HtmlEncode(p.Key)}\" value=\"{WebUtility.HtmlEncode(p.Value.ToString())}\">"));
        return Results.Content(
            $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Test provider sign in</title></head>
            <body><form method="get" action="/authorize">{hidden}
            <label for="account">Account</label><input id="account" name="login_hint">
            <button type="submit">Allow</button><button type="submit" name="deny" value="1">Deny</button>
            </form></body></html>
            """,
            "text/html; charset=utf-8");
    }

    private async Task<IResult> TokenAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        var (clientId, secret) = (form["client_id"].ToString(), form["client_secret"].ToString());
        var basic = context.Request.Headers.Authorization.ToString();
        if (basic.StartsWith("Basic ", StringComparison.Ordinal))
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(basic[6..])).Split(':', 2);
            (clientId, secret) = (Uri.UnescapeDataString(pair[0]), Uri.UnescapeDataString(pair[1]));
        }

        if (clientId != ClientId || secret != ClientSecret)
        {
            return Refuse(401, "invalid_client");
        }

        // The code is spent whatever happens next, as RFC 6749 §4.1.2 asks.
        if (form["grant_type"] != "authorization_code" || !_codes.TryRemove(form["code"].ToString(), out var grant))
        {
            return Refuse(400, "invalid_grant");
        }

        if (form["redirect_uri"] != grant.RedirectUri)
        {
            return Refuse(400, "invalid_grant");
        }

        if (grant.CodeChallenge.Length > 0 && Challenge(form["code_verifier"].ToString()) != grant.CodeChallenge)
        {
            return Refuse(400, "invalid_grant");
        }

        var accessToken = RandomNumberGenerator.GetHexString(40, lowercase: true);
        _accessTokens[accessToken] = grant.User;
        return Results.Json(new JsonObject
        {
            ["access_token"] = accessToken,
            ["token_type"] = "Bearer",
            ["refresh_token"] = "refresh-" + accessToken[..8],
            ["expires_in"] = 3600,
            ["id_token"] = IdToken(grant.User),
        });
    }

    // The description repeats the client secret, so a test can check that Basalt never passes the body on.
    private static IResult Refuse(int status, string error)
    {
        return Results.Json(new { error, error_description = "refused for client_secret=" + ClientSecret }, statusCode: status);
    }

    private string IdToken(TestUser user)
    {
        var now = DateTime.UtcNow;
        var expired = user.Flaw == IdTokenFlaw.Expired;
        var key = new RsaSecurityKey(user.Flaw == IdTokenFlaw.BadSignature ? _rogueKey : _key) { KeyId = KeyId };
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = user.Flaw == IdTokenFlaw.WrongAudience ? "another-client" : ClientId,
            IssuedAt = expired ? now.AddHours(-2) : now,
            NotBefore = expired ? now.AddHours(-2) : now,
            Expires = expired ? now.AddHours(-1) : now.AddMinutes(10),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = user.Sub,
                ["email"] = user.Email,
                ["email_verified"] = user.EmailVerified,
                ["name"] = user.Name,
            },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        };
        if (user.DomainOwnerVerified is { } edov)
        {
            descriptor.Claims["xms_edov"] = edov;
        }

        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    private IResult Jwks()
    {
        var parameters = _key.ExportParameters(false);
        return Results.Json(new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["alg"] = "RS256",
                ["kid"] = KeyId,
                ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
            }),
        });
    }

    private IResult WithUser(HttpContext context, Func<TestUser, JsonNode> shape)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) && _accessTokens.TryGetValue(header[7..], out var user)
            ? Results.Json(shape(user))
            : Results.Json(new { error = "invalid_token" }, statusCode: 401);
    }

    private static JsonObject OidcClaims(TestUser u) => new()
    {
        ["sub"] = u.Sub,
        ["name"] = u.Name,
        ["preferred_username"] = u.Username,
        ["email"] = u.Email,
        ["email_verified"] = u.EmailVerified,
        ["picture"] = u.Picture,
    };

    private static JsonObject GitHubUser(TestUser u) => new()
    {
        ["id"] = NumericId(u),
        ["login"] = u.Username,
        ["name"] = u.Name,
        ["email"] = u.PrivateEmail ? null : u.Email,
        ["avatar_url"] = u.Picture,
    };

    private static JsonArray GitHubEmails(TestUser u) =>
    [
        new JsonObject { ["email"] = "secondary-" + u.Email, ["primary"] = false, ["verified"] = true },
        new JsonObject { ["email"] = u.Email, ["primary"] = true, ["verified"] = u.EmailVerified },
    ];

    private static JsonObject MicrosoftUser(TestUser u) => new()
    {
        ["id"] = u.Sub,
        ["displayName"] = u.Name,
        ["mail"] = u.Email,
        ["userPrincipalName"] = u.Email,
    };

    private static JsonObject GitLabUser(TestUser u) => new()
    {
        ["id"] = NumericId(u),
        ["name"] = u.Name,
        ["username"] = u.Username,
        ["email"] = u.Email,
        ["confirmed_at"] = u.EmailVerified ? "2024-01-01T00:00:00.000Z" : null,
        ["avatar_url"] = u.Picture,
    };

    private static JsonObject DiscordUser(TestUser u) => new()
    {
        ["id"] = u.Sub,
        ["username"] = u.Username,
        ["global_name"] = u.Name,
        ["email"] = u.Email,
        ["verified"] = u.EmailVerified,
        ["avatar"] = "a1b2c3",
    };

    private static JsonValue NumericId(TestUser u) =>
        long.TryParse(u.Sub, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? JsonValue.Create(id) : JsonValue.Create(u.Sub);

    private static string Challenge(string verifier) => Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    private static Dictionary<string, string> ParseQuery(string query) =>
        query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""), StringComparer.Ordinal);

    /// <summary>
    /// A user the provider signs in; <see cref="PrivateEmail"/> hides the email from GitHub's <c>/user</c>. Graph's
    /// <c>mail</c> is <see cref="Email"/> whatever <see cref="EmailVerified"/> says, as Entra lets a tenant set any mail;
    /// only the id_token's <c>email_verified</c> (and <c>xms_edov</c> when <see cref="DomainOwnerVerified"/> is set) vouch.
    /// </summary>
    public sealed record TestUser(string Sub, string Email, bool EmailVerified = true, string Name = "", string Username = "", string Picture = "")
    {
        public IdTokenFlaw Flaw { get; init; }

        public bool? DomainOwnerVerified { get; init; }

        public bool PrivateEmail { get; init; }
    }

    private sealed record Grant(string RedirectUri, string CodeChallenge, TestUser User);
}
