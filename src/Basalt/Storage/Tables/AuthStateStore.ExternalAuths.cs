using System.Data.Common;
using Basalt.Model;

namespace Basalt.Storage.Tables;

/// <summary><c>_externalAuths</c>: the links of an auth record to a provider's user id.</summary>
public sealed partial class AuthStateStore
{
    /// <summary>The id of the record of an auth collection linked to (<paramref name="provider"/>, <paramref name="providerId"/>), or null.</summary>
    public Task<string?> FindExternalAuthRecordIdAsync(string collectionId, string provider, string providerId, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder(Dialect);
        sql.Append("SELECT ").AppendIdentifier("recordRef").Append(" FROM ").AppendIdentifier(AuthSystemCollections.ExternalAuths)
            .Append(" WHERE ").AppendIdentifier("collectionRef").Append(" = ").AppendParameter(collectionId)
            .Append(" AND ").AppendIdentifier("provider").Append(" = ").AppendParameter(provider)
            .Append(" AND ").AppendIdentifier("providerId").Append(" = ").AppendParameter(providerId)
            .Append(" LIMIT 1");
        return Database.ReadAsync(async (connection, ct) => await sql.ScalarAsync(connection, null, ct) as string, cancellationToken);
    }

    public Task<string> InsertExternalAuthAsync(Record owner, string provider, string providerId, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        InsertAsync(
            AuthSystemCollections.ExternalAuths,
            owner,
            new Dictionary<string, object?> { ["provider"] = provider, ["providerId"] = providerId },
            connection,
            transaction,
            cancellationToken);

    /// <summary>Deletes every link of a record.</summary>
    public Task DeleteExternalAuthsAsync(string collectionId, string recordId, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder(Dialect);
        sql.Append("DELETE FROM ").AppendIdentifier(AuthSystemCollections.ExternalAuths)
            .Append(" WHERE ").AppendIdentifier("collectionRef").Append(" = ").AppendParameter(collectionId)
            .Append(" AND ").AppendIdentifier("recordRef").Append(" = ").AppendParameter(recordId);
        return Database.WriteAsync((connection, transaction, ct) => sql.ExecuteAsync(connection, transaction, ct), cancellationToken);
    }
}
