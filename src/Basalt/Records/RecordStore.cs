using System.Data.Common;
using Basalt.Model;
using Basalt.Storage;
using Basalt.Storage.Schema;

namespace Basalt.Records;

/// <summary>
/// The plain SQL of record rows: select the columns of a collection, read rows into <see cref="Record"/>s, insert,
/// update and delete by id. Conditions beyond the id (rules, filters) are appended by the caller through the builder.
/// </summary>
public sealed class RecordStore(IDatabase database)
{
    public const string Alias = "m";

    public ISqlDialect Dialect => database.Dialect;

    public IDatabase Database => database;

    /// <summary>Starts <c>SELECT m.col, … FROM "table" m</c>.</summary>
    public SqlBuilder SelectFrom(Collection collection)
    {
        var sql = new SqlBuilder(database.Dialect);
        sql.Append("SELECT ");
        AppendColumns(sql, collection);
        sql.Append(" FROM ").AppendIdentifier(collection.Name).Append(' ').AppendIdentifier(Alias);
        return sql;
    }

    public static void AppendColumns(SqlBuilder sql, Collection collection)
    {
        for (var i = 0; i < collection.Fields.Count; i++)
        {
            if (i > 0)
            {
                sql.Append(", ");
            }

            sql.AppendColumn(Alias, collection.Fields[i].Name);
        }
    }

    public async Task<List<Record>> ReadAllAsync(SqlBuilder sql, Collection collection, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = sql.CreateCommand(connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new List<Record>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var record = new Record(collection);
            for (var i = 0; i < collection.Fields.Count; i++)
            {
                var field = collection.Fields[i];
                record.Set(field.Name, FieldValue(field, reader.GetValue(i)));
            }

            result.Add(record);
        }

        return result;
    }

    /// <summary>Converts through the dialect, then makes sure the value has the canonical CLR type the rest of the code expects.</summary>
    private object? FieldValue(Field field, object? raw)
    {
        var value = database.Dialect.FromDbValue(field, raw);
        return field.Type switch
        {
            FieldType.Number => value switch
            {
                null => 0d,
                double d => d,
                IConvertible c => c.ToDouble(System.Globalization.CultureInfo.InvariantCulture),
                _ => 0d,
            },
            FieldType.Bool => value switch
            {
                bool b => b,
                null => false,
                string s => s is "1" or "true",
                IConvertible c => c.ToDouble(System.Globalization.CultureInfo.InvariantCulture) != 0,
                _ => false,
            },
            _ => value ?? (field.Type == FieldType.Json ? null : Fields.FieldValues.Empty(field)),
        };
    }

    /// <summary>
    /// Appends <c>SELECT @p0 AS "id", …</c>: the record's values as a one-row table that a rule can read in place of the
    /// collection's table, for a record that is not stored yet (PocketBase's create-rule CTE).
    /// </summary>
    public static void AppendValuesRow(SqlBuilder sql, Record record)
    {
        sql.Append("SELECT ");
        var fields = record.Collection.Fields;
        for (var i = 0; i < fields.Count; i++)
        {
            sql.Append(i > 0 ? ", " : "");
            var value = record.Get(fields[i].Name);
            if (ColumnKinds.Of(fields[i]) is ColumnKind.Json or ColumnKind.JsonArray or ColumnKind.GeoPoint)
            {
                sql.AppendJsonParameter(value);
            }
            else
            {
                sql.AppendParameter(value);
            }

            sql.Append(" AS ").AppendIdentifier(fields[i].Name);
        }
    }

    public async Task<Record?> FindByIdAsync(Collection collection, string id, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var sql = SelectFrom(collection);
        sql.Append(" WHERE ").AppendColumn(Alias, "id").Append(" = ").AppendParameter(id).Append(" LIMIT 1");
        var rows = await ReadAllAsync(sql, collection, connection, transaction, cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    public static async Task<bool> ExistsAsync(SqlBuilder sql, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = sql.CreateCommand(connection, transaction);
        return await command.ExecuteScalarAsync(cancellationToken) is not null and not DBNull;
    }

    public async Task InsertAsync(Record record, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var fields = record.Collection.Fields;
        var sql = new SqlBuilder(database.Dialect);
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
        await using var command = sql.CreateCommand(connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task UpdateAsync(Record record, IEnumerable<string> fieldNames, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder(database.Dialect);
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
        await using var command = sql.CreateCommand(connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task DeleteAsync(Collection collection, string id, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder(database.Dialect);
        sql.Append("DELETE FROM ").AppendIdentifier(collection.Name).Append(" WHERE ").AppendIdentifier("id").Append(" = ").AppendParameter(id);
        await using var command = sql.CreateCommand(connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Appends a condition matching rows whose relation <paramref name="field"/> holds any of <paramref name="ids"/>.
    /// A multiple relation is a JSON array; its text form is pre-filtered with LIKE on each quoted id (portable across
    /// databases), so callers must still check the decoded list exactly.
    /// </summary>
    public static void AppendRelationContainsAny(SqlBuilder sql, Field field, IReadOnlyList<string> ids)
    {
        if (!field.IsMultiple)
        {
            sql.AppendColumn(Alias, field.Name).Append(" IN (");
            for (var i = 0; i < ids.Count; i++)
            {
                sql.Append(i > 0 ? ", " : "").AppendParameter(ids[i]);
            }

            sql.Append(')');
            return;
        }

        sql.Append('(');
        for (var i = 0; i < ids.Count; i++)
        {
            sql.Append(i > 0 ? " OR " : "").Append("CAST(").AppendColumn(Alias, field.Name).Append(" AS TEXT) LIKE ")
                .AppendParameter("%\"" + ids[i] + "\"%");
        }

        sql.Append(')');
    }

    /// <summary>The ids a relation (or select/file) value holds, whatever its arity.</summary>
    public static IReadOnlyList<string> Items(object? value) => value switch
    {
        List<string> l => l,
        string s when s.Length > 0 => [s],
        _ => [],
    };
}
