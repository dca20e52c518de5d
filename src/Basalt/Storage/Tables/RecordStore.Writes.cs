using System.Data.Common;
using Basalt.Model;
using Basalt.Storage.Changes;

namespace Basalt.Storage.Tables;

/// <summary>
/// Writes: insert a record, update some of its columns, delete rows by id or by age. A store that logs changes reads
/// each written row back (RETURNING) and adds it to its unit's change-log entries, so the log holds the row exactly as
/// stored, whoever wrote it (the records API, a batch, the cascade, the auth flows, a truncate).
/// </summary>
public sealed partial class RecordStore
{
    public async Task InsertAsync(Record record, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
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
        await WriteAsync(sql, record.Collection, ChangeActions.Create, connection, transaction, cancellationToken);
    }

    /// <summary>Writes the values of <paramref name="fieldNames"/> (never the id) to the row of <paramref name="record"/>.</summary>
    public async Task UpdateAsync(Record record, IEnumerable<string> fieldNames, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
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
            return;
        }

        sql.Append(" WHERE ").AppendIdentifier("id").Append(" = ").AppendParameter(record.Id);
        await WriteAsync(sql, record.Collection, ChangeActions.Update, connection, transaction, cancellationToken);
    }

    public Task DeleteAsync(Collection collection, string id, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder(Dialect);
        sql.Append("DELETE FROM ").AppendIdentifier(collection.Name).Append(" WHERE ").AppendIdentifier("id").Append(" = ").AppendParameter(id);
        return WriteAsync(sql, collection, ChangeActions.Delete, connection, transaction, cancellationToken);
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

    /// <summary>Runs a one-row write; when changes are logged, reads the row back and adds it to the unit's entries.</summary>
    private async Task WriteAsync(SqlBuilder sql, Collection collection, string action, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        if (!logsChanges || collection.IsView)
        {
            await sql.ExecuteAsync(connection, transaction, cancellationToken);
            return;
        }

        sql.Append(" RETURNING ");
        for (var i = 0; i < collection.Fields.Count; i++)
        {
            sql.Append(i > 0 ? ", " : "").AppendIdentifier(collection.Fields[i].Name);
        }

        foreach (var row in await ReadRecordsAsync(sql, collection, connection, transaction, cancellationToken))
        {
            PendingChanges.Add(transaction, new PendingChange(collection.Id, row.Id, action, RecordSnapshot.Encode(row)));
        }
    }
}
