using System.Collections.Concurrent;
using Basalt.Common;
using Basalt.Errors;
using Basalt.Model;
using Basalt.Records.Fields;

namespace Basalt.Auth;

/// <summary>The auth flows of §7 that work for any auth collection: token checks, password sign-in and refresh.</summary>
public sealed class AuthService(ICollectionLookup collections, AuthRecordStore store, TokenService tokens, AuthRuleChecker ruleChecker)
{
    public const string FailedToAuthenticate = "Failed to authenticate.";
    public const string MissingAuthCollection = "Missing or invalid auth collection context.";

    // Real bcrypt hashes to compare against when the identity is unknown, one per cost, so an unknown identity costs
    // the same bcrypt verification as a wrong password in a collection whose password field sets its own cost.
    private static readonly ConcurrentDictionary<int, string> DummyHashes = new();

    /// <summary>The auth collection named by a route, or 404 as PocketBase answers for anything else.</summary>
    public Collection RequireAuthCollection(string idOrName)
    {
        var collection = collections.Find(idOrName);
        return collection is { IsAuth: true } ? collection : throw ApiError.NotFound(MissingAuthCollection);
    }

    /// <summary>Resolves a raw token to its record; null for anything not a valid, unexpired auth token.</summary>
    public async Task<AuthenticatedToken?> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        var unverified = TokenService.ReadUnverified(token);
        if (unverified is null || unverified.Type != TokenService.AuthType)
        {
            return null;
        }

        var collection = collections.Find(unverified.CollectionId);
        if (collection is not { IsAuth: true } || collection.Id != unverified.CollectionId)
        {
            return null;
        }

        var record = await store.FindByIdAsync(collection, unverified.Id, cancellationToken);
        if (record is null)
        {
            return null;
        }

        var claims = await tokens.VerifyAsync(token, record, TokenService.AuthTokenOptions, TokenService.AuthType);
        return claims is null ? null : new AuthenticatedToken(record, claims, token);
    }

    /// <summary>
    /// Checks an identity and password against the collection; throws the envelope PocketBase gives on failure. The
    /// caller finishes the sign-in with <see cref="SignInService"/>.
    /// </summary>
    public async Task<Record> AuthWithPasswordAsync(Collection collection, PasswordCredentials credentials, CancellationToken cancellationToken)
    {
        if (!AuthCollectionOptions.PasswordAuthEnabled(collection))
        {
            throw ApiError.Forbidden("The collection is not configured to allow password authentication.");
        }

        var identityFields = AuthCollectionOptions.IdentityFields(collection);
        credentials.Validate(identityFields);

        var record = await FindByIdentityAsync(collection, identityFields, credentials, cancellationToken);
        var passwordOk = PasswordHasher.Verify(credentials.Password, record?.GetString("password") ?? DummyHash(collection));
        if (record is null || !passwordOk)
        {
            throw ApiError.BadRequest(FailedToAuthenticate);
        }

        return record;
    }

    /// <summary>
    /// The token to return from auth-refresh: a new one when refreshable, else the same one (impersonation). The record
    /// must still satisfy the collection's authRule (as PocketBase checks on every auth response), so a user banned
    /// through a field the rule reads cannot keep a session alive by refreshing it.
    /// </summary>
    public async Task<string> RefreshAsync(AuthenticatedToken auth, CancellationToken cancellationToken)
    {
        await ruleChecker.EnsureCanAuthenticateAsync(auth.Record, "default", cancellationToken);
        return auth.Claims.Refreshable ? tokens.CreateAuthToken(auth.Record) : auth.Token;
    }

    public string CreateToken(Record record) => tokens.CreateAuthToken(record);

    /// <summary>
    /// A non-refreshable token for any record of the collection (the caller has checked it is a superuser), lasting
    /// <paramref name="seconds"/>, or the collection's <c>authToken.duration</c> when 0. 404 when the record is missing.
    /// </summary>
    public async Task<(Record Record, string Token)> ImpersonateAsync(Collection collection, string recordId, long seconds, CancellationToken cancellationToken)
    {
        var record = await store.FindByIdAsync(collection, recordId, cancellationToken) ?? throw ApiError.NotFound();
        var duration = seconds > 0 ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        return (record, tokens.CreateAuthToken(record, refreshable: false, duration));
    }

    private static string DummyHash(Collection collection)
    {
        var cost = (int)(collection.FindField("password")?.GetNumber("cost") ?? 0);
        cost = cost is >= 4 and <= 31 ? cost : PasswordHasher.DefaultCost;
        return DummyHashes.GetOrAdd(cost, c => PasswordHasher.Hash(Guid.NewGuid().ToString("N"), c));
    }

    private async Task<Record?> FindByIdentityAsync(
        Collection collection, IReadOnlyList<string> identityFields, PasswordCredentials credentials, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(credentials.IdentityField))
        {
            return await store.FindByIdentityAsync(collection, credentials.IdentityField, credentials.Identity, cancellationToken);
        }

        var looksLikeEmail = EmailAddress.IsValid(credentials.Identity);
        if (looksLikeEmail && identityFields.Contains("email"))
        {
            var byEmail = await store.FindByIdentityAsync(collection, "email", credentials.Identity, cancellationToken);
            if (byEmail is not null)
            {
                return byEmail;
            }
        }

        foreach (var field in identityFields.Where(f => f != "email"))
        {
            var found = await store.FindByIdentityAsync(collection, field, credentials.Identity, cancellationToken);
            if (found is not null)
            {
                return found;
            }
        }

        return null;
    }
}
