using System.Data.Common;
using Basalt.Errors;
using Basalt.Model;
using Basalt.Storage;
using Basalt.Storage.Tables;

namespace Basalt.Auth.OAuth2;

/// <summary>The <c>_externalAuths</c> rows that link an auth record to a provider's user id.</summary>
public sealed class ExternalAuthStore(IDatabase database, AuthStateStore state)
{
    /// <summary>The id of the record linked to (provider, providerId) in a collection, or null.</summary>
    public Task<string?> FindRecordIdAsync(string collectionId, string provider, string providerId, CancellationToken cancellationToken) =>
        state.FindExternalAuthRecordIdAsync(collectionId, provider, providerId, cancellationToken);

    /// <summary>Unlinks every provider from a record (the pre-hijack protection of an unverified account).</summary>
    public Task DeleteAllAsync(string collectionId, string recordId, CancellationToken cancellationToken) =>
        state.DeleteExternalAuthsAsync(collectionId, recordId, cancellationToken);

    /// <summary>
    /// Links a record to a provider user. A record holds one link per provider: linking a second account of the same
    /// provider is refused with a 400 rather than replacing the first.
    /// </summary>
    public async Task InsertAsync(Record owner, string provider, string providerId, CancellationToken cancellationToken)
    {
        try
        {
            await database.WriteAsync((connection, transaction, ct) => InsertAsync(connection, transaction, owner, provider, providerId, ct), cancellationToken);
        }
        catch (DbException e) when (database.Dialect.IsConstraintViolation(e))
        {
            throw ApiError.BadRequest(OAuth2SignInService.FailedToAuthenticate);
        }
    }

    /// <summary>The same link written inside the caller's transaction, so it commits or rolls back with the record.</summary>
    public Task<string> InsertAsync(
        DbConnection connection, DbTransaction transaction, Record owner, string provider, string providerId, CancellationToken cancellationToken) =>
        state.InsertExternalAuthAsync(owner, provider, providerId, connection, transaction, cancellationToken);
}
