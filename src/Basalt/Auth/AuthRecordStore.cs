using Basalt.Model;
using Basalt.Storage.Tables;

namespace Basalt.Auth;

/// <summary>
/// Loads auth records by id or identity (system fields included) through <see cref="RecordStore"/>, the one place that
/// turns record rows into <see cref="Record"/>s.
/// </summary>
public sealed class AuthRecordStore(RecordStore store)
{
    public Task<Record?> FindByIdAsync(Collection collection, string id, CancellationToken cancellationToken)
    {
        if (collection.IsView)
        {
            return Task.FromResult<Record?>(null);
        }

        return store.Database.ReadAsync((connection, ct) => store.FindByIdAsync(collection, id, connection, null, ct), cancellationToken);
    }

    /// <summary>Finds by an identity field; email is matched case-insensitively, as PocketBase does.</summary>
    public async Task<Record?> FindByIdentityAsync(Collection collection, string field, string value, CancellationToken cancellationToken)
    {
        if (collection.IsView || collection.FindField(field) is null)
        {
            return null;
        }

        return await store.Database.ReadAsync(
            (connection, ct) => store.FindByValueAsync(collection, field, value, ignoreCase: field == "email", connection, null, ct),
            cancellationToken);
    }
}
