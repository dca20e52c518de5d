using Basalt.Model;

namespace Basalt.Storage.Tables;

/// <summary><c>_mfas</c>: MFA challenges, each naming the method that passed first.</summary>
public sealed partial class AuthStateStore
{
    /// <summary>The first method of the challenge <paramref name="mfaId"/> of a record if it was created at or after <paramref name="cutoff"/>, else null.</summary>
    public Task<string?> FindMfaMethodAsync(string mfaId, string collectionId, string recordId, string cutoff, CancellationToken cancellationToken)
    {
        var sql = SelectOwned(AuthSystemCollections.Mfas, Quoted("method"), collectionId, recordId);
        sql.Append(" AND ").AppendIdentifier("id").Append(" = ").AppendParameter(mfaId)
            .Append(" AND ").AppendIdentifier("created").Append(" >= ").AppendParameter(cutoff);
        return Database.ReadAsync(async (connection, ct) => await sql.ScalarAsync(connection, null, ct) as string, cancellationToken);
    }

    /// <summary>Stores a challenge for <paramref name="owner"/> passed with <paramref name="method"/>; returns its id.</summary>
    public Task<string> InsertMfaAsync(Record owner, string method, CancellationToken cancellationToken) =>
        Database.WriteAsync(
            (connection, transaction, ct) => InsertAsync(AuthSystemCollections.Mfas, owner, new Dictionary<string, object?> { ["method"] = method }, connection, transaction, ct),
            cancellationToken);

    /// <summary>Deletes the challenge <paramref name="id"/>; true when this call deleted it (so one challenge completes once).</summary>
    public Task<bool> DeleteMfaAsync(string id, CancellationToken cancellationToken) =>
        Database.WriteAsync((connection, transaction, ct) => DeleteByIdAsync(AuthSystemCollections.Mfas, id, connection, transaction, ct), cancellationToken);

    /// <summary>Deletes an auth collection's challenges created before <paramref name="cutoff"/>.</summary>
    public Task<int> DeleteExpiredMfasAsync(string collectionId, string cutoff, CancellationToken cancellationToken) =>
        Database.WriteAsync(
            (connection, transaction, ct) => DeleteCreatedBeforeAsync(AuthSystemCollections.Mfas, collectionId, cutoff, connection, transaction, ct),
            cancellationToken);
}
