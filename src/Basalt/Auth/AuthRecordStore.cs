using Basalt.Model;
using Basalt.Records;

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

        var sql = store.SelectFrom(collection);
        sql.Append(" WHERE ");
        if (field == "email")
        {
            sql.Append("LOWER(").AppendColumn(RecordStore.Alias, field).Append(") = ").AppendParameter(value.ToLowerInvariant());
        }
        else
        {
            sql.AppendColumn(RecordStore.Alias, field).Append(" = ").AppendParameter(value);
        }

        sql.Append(" LIMIT 1");
        var rows = await store.Database.ReadAsync((connection, ct) => store.ReadAllAsync(sql, collection, connection, null, ct), cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }
}
