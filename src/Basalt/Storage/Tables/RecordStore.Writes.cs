using System.Data.Common;
using Basalt.Model;

namespace Basalt.Storage.Tables;

/// <summary>Writes: insert a record, update some of its columns, delete rows by id or by age.</summary>
public sealed partial class RecordStore
{
    public Task InsertAsync(Record record, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var fields = record.Collection.Fields;
        var sql = new SqlBuilder(Dialect);
        sql.Append("INSERT INTO ").AppendIdentifier(record.Collection.Name).Append(" (");
        for (var i = 0; i < fields.Count; i++)
        {
            sql.Append(i > 0 ? ", " : "").AppendIdentifier(fields[i].Name);
        }

        sql.Append(") VALUES (");
        for (var i = 0; i < fields.Count; i++)
        {
            sql.Append(i > 0 ? ", " : "").AppendParameter(record.Get(fields[i].Name));
        }

        sql.Append(')');
        return sql.ExecuteAsync(connection, transaction, cancellationToken);
    }

    /// <summary>
    /// Writes the values of <paramref name="fieldNames"/> (never the id) to the row of <paramref name="record"/>; false
    /// when there was a value to write but no row to write it to (a concurrent delete committed first).
    /// </summary>
    public async Task<bool> UpdateAsync(Record record, IEnumerable<string> fieldNames, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder(Dialect);
        sql.Append("UPDATE ").AppendIdentifier(record.Collection.Name).Append(" SET ");
        var any = false;
        foreach (var name in fieldNames)
        {
            if (name == "id")
            {
                continue;
            }

            sql.Append(any ? ", " : "").AppendIdentifier(name).Append(" = ").AppendParameter(record.Get(name));
            any = true;
        }

        if (!any)
        {
            return true;
        }

        sql.Append(" WHERE ").AppendIdentifier("id").Append(" = ").AppendParameter(record.Id);
        return await sql.ExecuteAsync(connection, transaction, cancellationToken) > 0;
    }

    public Task DeleteAsync(Collection collection, string id, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder(Dialect);
        sql.Append("DELETE FROM ").AppendIdentifier(collection.Name).Append(" WHERE ").AppendIdentifier("id").Append(" = ").AppendParameter(id);
        return sql.ExecuteAsync(connection, transaction, cancellationToken);
    }

    /// <summary>Deletes the rows whose text <paramref name="column"/> sorts before <paramref name="cutoff"/> (every row when null); returns how many.</summary>
    public Task<int> DeleteBeforeAsync(Collection collection, string column, string? cutoff, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder(Dialect);
        sql.Append("DELETE FROM ").AppendIdentifier(collection.Name);
        if (cutoff is not null)
        {
            sql.Append(" WHERE ").AppendIdentifier(column).Append(" < ").AppendParameter(cutoff);
        }

        return sql.ExecuteAsync(connection, transaction, cancellationToken);
    }
}
