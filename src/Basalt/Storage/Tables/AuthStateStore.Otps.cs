using System.Data.Common;
using Basalt.Model;

namespace Basalt.Storage.Tables;

/// <summary><c>_otps</c>: one-time codes, stored as a bcrypt hash with the address the code was sent to.</summary>
public sealed partial class AuthStateStore
{
    /// <summary>The OTP <paramref name="otpId"/> of an auth collection, or null.</summary>
    public async Task<StoredOtp?> FindOtpAsync(string collectionId, string otpId, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder(Dialect);
        sql.Append("SELECT ").Append(Quoted("id", "recordRef", "password", "sentTo", "created"))
            .Append(" FROM ").AppendIdentifier(AuthSystemCollections.Otps)
            .Append(" WHERE ").AppendIdentifier("id").Append(" = ").AppendParameter(otpId)
            .Append(" AND ").AppendIdentifier("collectionRef").Append(" = ").AppendParameter(collectionId);
        var rows = await Database.ReadAsync(
            (connection, ct) => sql.ReadAsync(
                connection,
                null,
                r => new StoredOtp(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4)),
                ct),
            cancellationToken);
        return rows.FirstOrDefault();
    }

    /// <summary>The ids of a record's OTPs created at or after <paramref name="cutoff"/>, newest first.</summary>
    public Task<List<string>> LiveOtpIdsAsync(string collectionId, string recordId, string cutoff, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var sql = SelectOwned(AuthSystemCollections.Otps, Quoted("id"), collectionId, recordId);
        sql.Append(" AND ").AppendIdentifier("created").Append(" >= ").AppendParameter(cutoff)
            .Append(" ORDER BY ").AppendIdentifier("created").Append(" DESC, ").AppendIdentifier("id").Append(" DESC");
        return sql.ReadStringsAsync(connection, transaction, cancellationToken);
    }

    public Task<string> InsertOtpAsync(Record owner, string hash, string sentTo, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        InsertAsync(AuthSystemCollections.Otps, owner, new Dictionary<string, object?> { ["password"] = hash, ["sentTo"] = sentTo }, connection, transaction, cancellationToken);

    /// <summary>Gives the OTP <paramref name="id"/> a new code hash and address, keeping its id and creation time.</summary>
    public Task RenewOtpAsync(string id, string hash, string sentTo, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder(Dialect);
        sql.Append("UPDATE ").AppendIdentifier(AuthSystemCollections.Otps).Append(" SET ")
            .AppendIdentifier("password").Append(" = ").AppendParameter(hash).Append(", ")
            .AppendIdentifier("sentTo").Append(" = ").AppendParameter(sentTo).Append(", ")
            .AppendIdentifier("updated").Append(" = ").AppendParameter(Now())
            .Append(" WHERE ").AppendIdentifier("id").Append(" = ").AppendParameter(id);
        return sql.ExecuteAsync(connection, transaction, cancellationToken);
    }

    /// <summary>Deletes the OTP <paramref name="id"/>; true when this call deleted it (so of racing uses only one succeeds).</summary>
    public Task<bool> DeleteOtpAsync(string id, CancellationToken cancellationToken) =>
        Database.WriteAsync((connection, transaction, ct) => DeleteByIdAsync(AuthSystemCollections.Otps, id, connection, transaction, ct), cancellationToken);

    /// <summary>Deletes an auth collection's OTPs created before <paramref name="cutoff"/>.</summary>
    public Task<int> DeleteExpiredOtpsAsync(string collectionId, string cutoff, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        DeleteCreatedBeforeAsync(AuthSystemCollections.Otps, collectionId, cutoff, connection, transaction, cancellationToken);
}
