using System.Data.Common;
using Basalt.Model;
using Basalt.Storage.Changes;
using Basalt.Storage.Schema;

namespace Basalt.Storage.Tables;

/// <summary>
/// Writes: insert a record (or a batch of them), update some of its columns, delete rows by id or by age. A store that
/// logs changes reads each written row back (RETURNING) and adds it to its unit's change-log entries, so the log holds
/// the row exactly as stored, whoever wrote it (the records API, a batch, the cascade, the auth flows, a truncate).
/// </summary>
public sealed partial class RecordStore
{
    /// <summary>Well under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters per statement.</summary>
    private const int MaxParametersPerStatement = 10000;

    /// <summary>
    /// Inserts <paramref name="record"/>. With <paramref name="last"/> (the caller runs nothing else in the unit after it)
    /// the database may hold the statement back and send it with the unit's commit (PostgreSQL: BEGIN to COMMIT in one
    /// round trip); its change-log entry is then built from the values written, and a refusal (a taken id) surfaces as
    /// the unit ends rather than here.
    /// </summary>
    public async Task InsertAsync(Record record, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken, bool last = false)
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
        AppendColumnKinds(sql, record.Collection);
        if (last && logsChanges && !record.Collection.IsView &&
            PendingChanges.TryDefer(transaction, sql, new PendingChange(record.Collection.Id, record.Id, ChangeActions.Create, RecordSnapshot.EncodeFields(record))))
        {
            return;
        }

        await WriteAsync(sql, record.Collection, ChangeActions.Create, connection, transaction, cancellationToken, prepare: true);
    }

    /// <summary>
    /// A comment naming each column's kind, so the statement's text changes whenever the types of the columns it returns
    /// do (a single select made multiple turns a text column into JSON, a field replaced by one of the same name and
    /// another type): a prepared statement kept on a pooled connection is then never run against the new table, which
    /// PostgreSQL refuses ("cached plan must not change result type"). Npgsql also prepares afresh when the parameters'
    /// types change, which today they do with every change of kind; the text keeps it so if a value ever binds alike.
    /// </summary>
    private static void AppendColumnKinds(SqlBuilder sql, Collection collection)
    {
        sql.Append(" /* ");
        foreach (var field in collection.Fields)
        {
            sql.Append((char)('a' + (int)ColumnKinds.Of(field)));
        }

        sql.Append(" */");
    }

    /// <summary>
    /// Inserts <paramref name="records"/>, all of <paramref name="collection"/>, through one statement prepared once and
    /// run per record with new values (an import on SQLite, see <see cref="InsertRowsAsync"/>): building and preparing a
    /// statement per row costs more than the row itself. A JSON field's value may be its JSON text. Returns how many were inserted.
    /// </summary>
    public async Task<int> InsertManyAsync(Collection collection, IReadOnlyList<Record> records, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return 0;
        }

        var fields = collection.Fields;
        var rows = new object?[records.Count][];
        for (var r = 0; r < rows.Length; r++)
        {
            var row = rows[r] = new object?[fields.Count];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = records[r].Get(fields[i].Name);
            }
        }

        await InsertValuesAsync(collection, rows, connection, transaction, cancellationToken);
        if (logsChanges && !collection.IsView)
        {
            // No read-back here: the statement is shared, and the values are the ones just written.
            foreach (var record in records)
            {
                PendingChanges.Add(transaction, new PendingChange(collection.Id, record.Id, ChangeActions.Create, RecordSnapshot.Encode(record)));
            }
        }

        return records.Count;
    }

    /// <summary>
    /// Inserts rows given as their values in the order of <paramref name="collection"/>'s fields, through one prepared
    /// statement bound by the dialect (<see cref="ISqlDialect.InsertRowsAsync"/>), and logs no change: for tables written
    /// a row per request (request logs), where building a record per row costs more than the database's insert. A JSON
    /// field's value may be its JSON text.
    /// </summary>
    public async Task<int> InsertValuesAsync(Collection collection, IReadOnlyList<object?[]> rows, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return 0;
        }

        await Dialect.InsertRowsAsync(InsertStatement(collection, i => rows[0][i]), rows, connection, transaction, cancellationToken);
        return rows.Count;
    }

    /// <summary>An insert of every field of <paramref name="collection"/>, its parameters typed by <paramref name="firstValue"/>.</summary>
    private SqlBuilder InsertStatement(Collection collection, Func<int, object?> firstValue)
    {
        var fields = collection.Fields;
        var sql = new SqlBuilder(Dialect);
        sql.Append("INSERT INTO ").AppendIdentifier(collection.Name).Append(" (");
        for (var i = 0; i < fields.Count; i++)
        {
            sql.Append(i > 0 ? ", " : "").AppendIdentifier(fields[i].Name);
        }

        sql.Append(") VALUES (");
        for (var i = 0; i < fields.Count; i++)
        {
            sql.Append(i > 0 ? ", " : "");
            if (ColumnKinds.Of(fields[i]) is ColumnKind.Json or ColumnKind.JsonArray or ColumnKind.GeoPoint)
            {
                // Typed as JSON in the statement, so JSON text binds as a JSON value rather than a string.
                sql.AppendJsonParameter(firstValue(i));
            }
            else
            {
                sql.AppendParameter(firstValue(i));
            }
        }

        sql.Append(')');
        return sql;
    }

    /// <summary>
    /// Inserts <paramref name="records"/>, all of <paramref name="collection"/>, as fast as the database takes a bulk load
    /// (an import): <see cref="ISqlDialect.RowsPerInsert"/> rows per statement, or one prepared statement run per row
    /// where that is cheaper. A JSON field's value may be its JSON text. Returns how many were inserted.
    /// </summary>
    public async Task<int> InsertRowsAsync(Collection collection, IReadOnlyList<Record> records, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        if (Dialect.RowsPerInsert <= 1)
        {
            return await InsertManyAsync(collection, records, connection, transaction, cancellationToken);
        }

        var fields = collection.Fields;
        var json = fields.Select(f => ColumnKinds.Of(f) is ColumnKind.Json or ColumnKind.JsonArray or ColumnKind.GeoPoint).ToArray();
        var perStatement = Math.Clamp(MaxParametersPerStatement / Math.Max(1, fields.Count), 1, Dialect.RowsPerInsert);
        for (var start = 0; start < records.Count; start += perStatement)
        {
            var end = Math.Min(records.Count, start + perStatement);
            var sql = new SqlBuilder(Dialect);
            sql.Append("INSERT INTO ").AppendIdentifier(collection.Name).Append(" (");
            for (var i = 0; i < fields.Count; i++)
            {
                sql.Append(i > 0 ? ", " : "").AppendIdentifier(fields[i].Name);
            }

            sql.Append(") VALUES ");
            for (var r = start; r < end; r++)
            {
                sql.Append(r > start ? ", (" : "(");
                for (var i = 0; i < fields.Count; i++)
                {
                    var value = records[r].Get(fields[i].Name);
                    sql.Append(i > 0 ? ", " : "");
                    if (json[i])
                    {
                        sql.AppendJsonParameter(value);
                    }
                    else
                    {
                        sql.AppendParameter(value);
                    }
                }

                sql.Append(')');
            }

            await sql.ExecuteAsync(connection, transaction, cancellationToken);
            for (var r = start; r < end && logsChanges && !collection.IsView; r++)
            {
                // As in InsertManyAsync: the values are the ones just written, so no read-back.
                PendingChanges.Add(transaction, new PendingChange(collection.Id, records[r].Id, ChangeActions.Create, RecordSnapshot.Encode(records[r])));
            }
        }

        return records.Count;
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
        return await WriteAsync(sql, record.Collection, ChangeActions.Update, connection, transaction, cancellationToken) > 0;
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

    /// <summary>
    /// Runs a one-row write and returns how many rows it wrote; when changes are logged, reads the row back and adds it
    /// to the unit's entries.
    /// </summary>
    private async Task<int> WriteAsync(SqlBuilder sql, Collection collection, string action, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken, bool prepare = false)
    {
        if (!logsChanges || collection.IsView)
        {
            return await sql.ExecuteAsync(connection, transaction, cancellationToken);
        }

        sql.Append(" RETURNING ");
        for (var i = 0; i < collection.Fields.Count; i++)
        {
            sql.Append(i > 0 ? ", " : "").AppendIdentifier(collection.Fields[i].Name);
        }

        var rows = await ReadRecordsAsync(sql, collection, connection, transaction, cancellationToken, prepare);
        foreach (var row in rows)
        {
            PendingChanges.Add(transaction, new PendingChange(collection.Id, row.Id, action, RecordSnapshot.Encode(row)));
        }

        return rows.Count;
    }
}
