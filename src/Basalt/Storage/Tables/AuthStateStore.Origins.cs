using System.Data.Common;
using Basalt.Model;

namespace Basalt.Storage.Tables;

/// <summary><c>_authOrigins</c>: the device fingerprints a record signed in from.</summary>
public sealed partial class AuthStateStore
{
    /// <summary>A record's origins, most recently used first.</summary>
    public Task<List<(string Id, string Fingerprint)>> OriginsAsync(string collectionId, string recordId, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var sql = SelectOwned(AuthSystemCollections.AuthOrigins, Quoted("id", "fingerprint"), collectionId, recordId);
        sql.Append(" ORDER BY ").AppendIdentifier("updated").Append(" DESC, ").AppendIdentifier("id").Append(" DESC");
        return sql.ReadAsync(connection, transaction, r => (r.GetString(0), r.GetString(1)), cancellationToken);
    }

    public Task<string> InsertOriginAsync(Record owner, string fingerprint, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        InsertAsync(AuthSystemCollections.AuthOrigins, owner, new Dictionary<string, object?> { ["fingerprint"] = fingerprint }, connection, transaction, cancellationToken);

    /// <summary>Marks the origin <paramref name="id"/> as used now.</summary>
    public Task TouchOriginAsync(string id, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder(Dialect);
        sql.Append("UPDATE ").AppendIdentifier(AuthSystemCollections.AuthOrigins).Append(" SET ").AppendIdentifier("updated").Append(" = ").AppendParameter(Now())
            .Append(" WHERE ").AppendIdentifier("id").Append(" = ").AppendParameter(id);
        return sql.ExecuteAsync(connection, transaction, cancellationToken);
    }

    public Task DeleteOriginAsync(string id, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        DeleteByIdAsync(AuthSystemCollections.AuthOrigins, id, connection, transaction, cancellationToken);
}
