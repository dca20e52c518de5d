using System.Text;
using Basalt.Model;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Basalt.Auth;

/// <summary>
/// Issues and checks PocketBase-compatible HS256 JWTs. The signing key is the record's <c>tokenKey</c> followed by the
/// collection's secret for the token kind, so rotating either one invalidates the tokens signed with it.
/// </summary>
public sealed class TokenService(TimeProvider time)
{
    public const string AuthType = "auth";
    public const string AuthTokenOptions = "authToken";

    /// <summary>
    /// PocketBase v0.22 typed every record token <c>authRecord</c> (auth, verification, reset and file tokens alike, told
    /// apart only by the secret that signed them) and admin tokens <c>admin</c>, without a collectionId. An import keeps
    /// those secrets, so such a token still verifies, and only as an auth token: any other kind was signed with another
    /// secret. Basalt never issues either type.
    /// </summary>
    public const string LegacyRecordAuthType = "authRecord";

    public const string LegacyAdminAuthType = "admin";

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <summary>An auth token for <paramref name="record"/>, lasting the collection's <c>authToken.duration</c> unless given.</summary>
    public string CreateAuthToken(Record record, bool refreshable = true, TimeSpan? duration = null)
    {
        var lifetime = duration ?? TimeSpan.FromSeconds(AuthCollectionOptions.TokenDuration(record.Collection, AuthTokenOptions));
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["id"] = record.Id,
            ["type"] = AuthType,
            ["collectionId"] = record.Collection.Id,
            ["refreshable"] = refreshable,
        };
        return Create(record, AuthTokenOptions, lifetime, claims);
    }

    /// <summary>Signs <paramref name="claims"/> with the key of <paramref name="tokenKind"/>; adds <c>exp</c>.</summary>
    public string Create(Record record, string tokenKind, TimeSpan lifetime, IDictionary<string, object> claims)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Claims = claims,
            Expires = time.GetUtcNow().Add(lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(SigningKey(record, tokenKind), SecurityAlgorithms.HmacSha256),
        };
        return Handler.CreateToken(descriptor);
    }

    /// <summary>Reads the claims without checking the signature: only to find which record's key to check it with.</summary>
    public static TokenClaims? ReadUnverified(string token)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 8192)
        {
            return null;
        }

        try
        {
            var jwt = new JsonWebToken(token);
            if (!jwt.TryGetPayloadValue<string>("id", out var id) || string.IsNullOrEmpty(id)
                || !jwt.TryGetPayloadValue<string>("type", out var type)
                || !jwt.TryGetPayloadValue<long>("exp", out var exp))
            {
                return null;
            }

            var legacy = type is LegacyRecordAuthType or LegacyAdminAuthType;
            string? collectionId;
            if (type == LegacyAdminAuthType)
            {
                collectionId = SystemCollections.SuperusersId;
            }
            else if (!jwt.TryGetPayloadValue("collectionId", out collectionId) || string.IsNullOrEmpty(collectionId))
            {
                return null;
            }

            // v0.22 auth tokens were all refreshable.
            var refreshable = legacy || (jwt.TryGetPayloadValue<bool>("refreshable", out var r) && r);
            return new TokenClaims(id, legacy ? AuthType : type ?? "", collectionId, refreshable, DateTimeOffset.FromUnixTimeSeconds(exp));
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenMalformedException or FormatException or OverflowException)
        {
            return null;
        }
    }

    /// <summary>
    /// Checks that <paramref name="token"/> is an HS256 token signed with <paramref name="record"/>'s key for
    /// <paramref name="tokenKind"/>, of the expected type, for that record, and not expired.
    /// </summary>
    public async Task<TokenClaims?> VerifyAsync(string token, Record record, string tokenKind, string expectedType)
    {
        var claims = ReadUnverified(token);
        if (claims is null
            || claims.Type != expectedType
            || claims.Id != record.Id
            || claims.CollectionId != record.Collection.Id
            || claims.Expires <= time.GetUtcNow()
            || record.GetString("tokenKey").Length == 0)
        {
            return null;
        }

        var parameters = new TokenValidationParameters
        {
            IssuerSigningKey = SigningKey(record, tokenKind),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ValidateIssuer = false,
            ValidateAudience = false,

            // Expiry is checked above against the injected clock, so tests can move time.
            ValidateLifetime = false,
            RequireExpirationTime = false,
        };
        var result = await Handler.ValidateTokenAsync(token, parameters);
        return result.IsValid ? claims : null;
    }

    private static SymmetricSecurityKey SigningKey(Record record, string tokenKind) =>
        new(Encoding.UTF8.GetBytes(record.GetString("tokenKey") + AuthCollectionOptions.TokenSecret(record.Collection, tokenKind)));
}
