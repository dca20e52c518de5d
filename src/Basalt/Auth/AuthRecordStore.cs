using System.Data.Common;
using Basalt.Collections;
using Basalt.Records;
using Basalt.Storage;

namespace Basalt.Auth;

/// <summary>Loads auth records by id or identity straight from the collection's table (system fields included).</summary>
public sealed class AuthRecordStore(IDatabase database)
{
    public Task<Record?> FindByIdAsync(Collection collection, string id, CancellationToken cancellationToken) =>
        FindAsync(collection, "id", id, false, cancellationToken);

    /// <summary>Finds by an identity field; email is matched case-insensitively, as PocketBase does.</summary>
    public Task<Record?> FindByIdentityAsync(Collection collection, string field, string value, CancellationToken cancellationToken) =>
        FindAsync(collection, field, value, field == "email", cancellationToken);

    private async Task<Record?> FindAsync(Collection collection, string field, string value, bool ignoreCase, CancellationToken cancellationToken)
    {
        if (collection.IsView || collection.FindField(field) is null)
        {
            return null;
        }

        var sql = new SqlBuilder(database.Dialect);
        sql.Append("SELECT ");
        for (var i = 0; i < collection.Fields.Count; i++)
        {
            if (i > 0)
            {
                sql.Append(", ");
            }

            sql.AppendIdentifier(collection.Fields[i].Name);
        }

        sql.Append(" FROM ").AppendIdentifier(collection.Name).Append(" WHERE ");
        if (ignoreCase)
        {
            sql.Append("LOWER(").AppendIdentifier(field).Append(") = ").AppendParameter(value.ToLowerInvariant());
        }
        else
        {
            sql.AppendIdentifier(field).Append(" = ").AppendParameter(value);
        }

        sql.Append(" LIMIT 1");
        return await database.ReadAsync((connection, ct) => ReadOneAsync(sql, connection, collection, ct), cancellationToken);
    }

    private async Task<Record?> ReadOneAsync(SqlBuilder sql, DbConnection connection, Collection collection, CancellationToken cancellationToken)
    {
        await using var command = sql.CreateCommand(connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var record = new Record(collection);
        for (var i = 0; i < collection.Fields.Count; i++)
        {
            var field = collection.Fields[i];
            record.Set(field.Name, database.Dialect.FromDbValue(field, reader.GetValue(i)));
        }

        return record;
    }
}
