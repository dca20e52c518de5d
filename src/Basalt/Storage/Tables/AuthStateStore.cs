using System.Data.Common;
using Basalt.Common;
using Basalt.Model;

namespace Basalt.Storage.Tables;

/// <summary>
/// The rows auth flows keep about an auth record: emailed one-time codes (<c>_otps</c>), MFA challenges (<c>_mfas</c>),
/// sign-in origins (<c>_authOrigins</c>) and OAuth2 links (<c>_externalAuths</c>). Each row points at its record by
/// <c>collectionRef</c> + <c>recordRef</c> text. New rows go through the one record insert of <see cref="RecordStore"/>.
/// Methods that take a connection run inside the caller's unit; the others are a unit of their own.
/// One part per table: <c>AuthStateStore.Otps.cs</c>, <c>.Mfas.cs</c>, <c>.Origins.cs</c>, <c>.ExternalAuths.cs</c>.
/// </summary>
public sealed partial class AuthStateStore(RecordStore store, ICollectionLookup collections, TimeProvider time)
{
    public const int IdLength = 15;

    private static readonly string[] Tables =
        [AuthSystemCollections.Mfas, AuthSystemCollections.Otps, AuthSystemCollections.ExternalAuths, AuthSystemCollections.AuthOrigins];

    private IDatabase Database => store.Database;

    private ISqlDialect Dialect => store.Dialect;

    /// <summary>
    /// Removes every row of every auth-state table that belongs to a record of <paramref name="owner"/> that is going
    /// away: of <paramref name="ids"/>, or of the whole collection when null. The relation cascade does not reach them.
    /// </summary>
    public async Task DeleteForRecordsAsync(Collection owner, IReadOnlyList<string>? ids, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        foreach (var name in Tables)
        {
            if (collections.Find(name) is not { IsView: false } table)
            {
                continue;
            }

            foreach (var chunk in ids is null ? [null] : ids.Chunk(200).Select(c => (string[]?)c))
            {
                var sql = new SqlBuilder(Dialect);
                sql.Append("DELETE FROM ").AppendIdentifier(table.Name).Append(" WHERE ").AppendIdentifier("collectionRef").Append(" = ").AppendParameter(owner.Id);
                if (chunk is not null)
                {
                    sql.Append(" AND ").AppendIdentifier("recordRef").Append(" IN (");
                    for (var i = 0; i < chunk.Length; i++)
                    {
                        sql.Append(i > 0 ? ", " : "").AppendParameter(chunk[i]);
                    }

                    sql.Append(')');
                }

                await sql.ExecuteAsync(connection, transaction, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Inserts a row for <paramref name="owner"/> inside the caller's transaction: a fresh id, the owner's
    /// <c>collectionRef</c> and <c>recordRef</c>, both autodates, and <paramref name="values"/>; returns its id.
    /// </summary>
    private async Task<string> InsertAsync(
        string table,
        Record owner,
        IReadOnlyDictionary<string, object?> values,
        DbConnection connection,
        DbTransaction transaction,
        CancellationToken cancellationToken)
    {
        var collection = collections.Find(table)
            ?? throw new InvalidOperationException($"The system collection {table} is missing.");
        var row = new Record(collection);
        foreach (var field in collection.Fields)
        {
            row.Set(field.Name, FieldEmptyValue.Of(field));
        }

        var id = RandomText.Lowercase(IdLength);
        var now = Now();
        row.Set("id", id);
        row.Set("collectionRef", owner.Collection.Id);
        row.Set("recordRef", owner.Id);
        row.Set("created", now);
        row.Set("updated", now);
        foreach (var (name, value) in values)
        {
            row.Set(name, value);
        }

        await store.InsertAsync(row, connection, transaction, cancellationToken);
        return id;
    }

    /// <summary>Deletes the row <paramref name="id"/> of <paramref name="table"/>; true when this call deleted it.</summary>
    private async Task<bool> DeleteByIdAsync(string table, string id, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder(Dialect);
        sql.Append("DELETE FROM ").AppendIdentifier(table).Append(" WHERE ").AppendIdentifier("id").Append(" = ").AppendParameter(id);
        return await sql.ExecuteAsync(connection, transaction, cancellationToken) > 0;
    }

    /// <summary>Deletes the rows of <paramref name="table"/> for one auth collection created before <paramref name="cutoff"/>.</summary>
    private Task<int> DeleteCreatedBeforeAsync(string table, string collectionId, string cutoff, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder(Dialect);
        sql.Append("DELETE FROM ").AppendIdentifier(table)
            .Append(" WHERE ").AppendIdentifier("collectionRef").Append(" = ").AppendParameter(collectionId)
            .Append(" AND ").AppendIdentifier("created").Append(" < ").AppendParameter(cutoff);
        return sql.ExecuteAsync(connection, transaction, cancellationToken);
    }

    /// <summary>Starts <c>SELECT columns FROM table WHERE collectionRef = … AND recordRef = …</c>.</summary>
    private SqlBuilder SelectOwned(string table, string columns, string collectionId, string recordId)
    {
        var sql = new SqlBuilder(Dialect);
        sql.Append("SELECT ").Append(columns).Append(" FROM ").AppendIdentifier(table)
            .Append(" WHERE ").AppendIdentifier("collectionRef").Append(" = ").AppendParameter(collectionId)
            .Append(" AND ").AppendIdentifier("recordRef").Append(" = ").AppendParameter(recordId);
        return sql;
    }

    private string Quoted(params string[] columns) => string.Join(", ", columns.Select(Dialect.Quote));

    private string Now() => DateFormat.Format(time.GetUtcNow());
}
