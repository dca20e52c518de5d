using Basalt.Model;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Basalt.Auth;

/// <summary>
/// Issues and checks the verification, password-reset and email-change tokens of §6. They carry the email they were
/// sent to (and <c>newEmail</c> for an email change), are signed with <c>tokenKey</c> + the kind's collection secret, and
/// last the kind's <c>duration</c> option.
/// </summary>
public sealed class EmailTokens(TokenService tokens, AuthRecordStore store)
{
    public string Create(Record record, EmailTokenKind kind, string? newEmail = null)
    {
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["id"] = record.Id,
            ["type"] = kind.Type,
            ["collectionId"] = record.Collection.Id,
            ["email"] = record.GetString("email"),
        };
        if (newEmail is not null)
        {
            claims["newEmail"] = newEmail;
        }

        var lifetime = TimeSpan.FromSeconds(AuthCollectionOptions.TokenDuration(record.Collection, kind.OptionsKey));
        return tokens.Create(record, kind.OptionsKey, lifetime, claims);
    }

    /// <summary>
    /// The record a valid token of <paramref name="kind"/> was issued for in <paramref name="collection"/>, with the
    /// token's <c>email</c> and <c>newEmail</c> claims; null for anything expired, tampered, of another kind or collection.
    /// </summary>
    public async Task<(Record Record, string Email, string NewEmail)?> VerifyAsync(
        Collection collection, string token, EmailTokenKind kind, CancellationToken cancellationToken)
    {
        var unverified = TokenService.ReadUnverified(token);
        if (unverified is null || unverified.Type != kind.Type || unverified.CollectionId != collection.Id)
        {
            return null;
        }

        var record = await store.FindByIdAsync(collection, unverified.Id, cancellationToken);
        if (record is null || await tokens.VerifyAsync(token, record, kind.OptionsKey, kind.Type) is null)
        {
            return null;
        }

        var jwt = new JsonWebToken(token);
        var email = jwt.TryGetPayloadValue<string>("email", out var e) ? e ?? "" : "";
        var newEmail = jwt.TryGetPayloadValue<string>("newEmail", out var n) ? n ?? "" : "";
        return (record, email, newEmail);
    }
}
