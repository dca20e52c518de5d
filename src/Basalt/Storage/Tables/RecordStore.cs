using System.Data.Common;
using System.Globalization;
using Basalt.Model;
using Basalt.Storage.Schema;

namespace Basalt.Storage.Tables;

/// <summary>
/// The statements over the table of a collection (or of a table described as one: <c>_logs</c>, <c>_collections</c>):
/// callers say which rows (by id, by value, by a compiled <see cref="SqlCondition"/>, in a compiled
/// <see cref="SqlOrder"/>) and get <see cref="Record"/>s, ids, counts or answers back. Every statement reads the table
/// as <see cref="Alias"/>, which is the alias rules and filters are compiled against. Methods run on the caller's
/// connection and transaction, so they compose into one unit of work. This part reads rows;
/// <c>RecordStore.Ids.cs</c> reads ids and answers, <c>RecordStore.Relations.cs</c> follows relations and
/// <c>RecordStore.Writes.cs</c> writes (and hands each write to the change log).
/// </summary>
public sealed partial class RecordStore(IDatabase database, bool logsChanges)
{
    /// <summary>A store over the tables of collections: every write it makes goes to the change log with it.</summary>
    public RecordStore(IDatabase database)
        : this(database, true)
    {
    }

    /// <summary>The alias of the table in every statement (the default of a compiled filter's context).</summary>
    public const string Alias = "m";

    public ISqlDialect Dialect => database.Dialect;

    public IDatabase Database => database;

    public Task<Record?> FindByIdAsync(Collection collection, string id, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        FindByIdAsync(collection, id, null, connection, transaction, cancellationToken);

    /// <summary>The row with <paramref name="id"/> if it also meets <paramref name="where"/>, else null.</summary>
    public async Task<Record?> FindByIdAsync(Collection collection, string id, SqlCondition? where, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var sql = SelectRows(collection);
        sql.Append(" WHERE ").AppendColumn(Alias, "id").Append(" = ").AppendParameter(id);
        AppendAnd(sql, where);
        sql.Append(" LIMIT 1");
        return (await ReadRecordsAsync(sql, collection, connection, transaction, cancellationToken)).FirstOrDefault();
    }

    /// <summary>The first row whose <paramref name="field"/> equals <paramref name="value"/>, compared case-insensitively when <paramref name="ignoreCase"/>.</summary>
    public async Task<Record?> FindByValueAsync(Collection collection, string field, string value, bool ignoreCase, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var sql = SelectRows(collection);
        sql.Append(" WHERE ");
        if (ignoreCase)
        {
            sql.Append("LOWER(").AppendColumn(Alias, field).Append(") = ").AppendParameter(value.ToLowerInvariant());
        }
        else
        {
            sql.AppendColumn(Alias, field).Append(" = ").AppendParameter(value);
        }

        sql.Append(" LIMIT 1");
        return (await ReadRecordsAsync(sql, collection, connection, transaction, cancellationToken)).FirstOrDefault();
    }

    /// <summary>The rows among <paramref name="ids"/> that meet <paramref name="where"/>, in no particular order.</summary>
    public Task<List<Record>> FindManyAsync(Collection collection, IReadOnlyList<string> ids, SqlCondition? where, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var sql = SelectRows(collection);
        sql.Append(" WHERE ");
        AppendIdIn(sql, ids);
        AppendAnd(sql, where);
        return ReadRecordsAsync(sql, collection, connection, transaction, cancellationToken);
    }

    /// <summary>
    /// The rows among <paramref name="ids"/>, locked until <paramref name="transaction"/> ends where the database can
    /// lock rows (PostgreSQL; SQLite's single writer already excludes every other write): what a write reads when it
    /// decides from the stored values which files the commit will drop.
    /// </summary>
    public Task<List<Record>> FindManyForUpdateAsync(Collection collection, IReadOnlyList<string> ids, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var sql = SelectRows(collection);
        sql.Append(" WHERE ");
        AppendIdIn(sql, ids);
        sql.Append(Dialect.LockRowsClause);
        return ReadRecordsAsync(sql, collection, connection, transaction, cancellationToken);
    }

    /// <summary>A page of the rows that meet <paramref name="where"/>, in <paramref name="order"/>.</summary>
    public Task<List<Record>> ListAsync(Collection collection, SqlCondition? where, SqlOrder? order, int limit, int offset, DbConnection connection, CancellationToken cancellationToken)
    {
        var sql = SelectRows(collection);
        AppendWhere(sql, where);
        AppendOrder(sql, order);
        Dialect.AppendPaging(sql, limit, offset);
        return ReadRecordsAsync(sql, collection, connection, null, cancellationToken);
    }

    /// <summary>
    /// How many rows meet <paramref name="where"/>. Without a condition, the count kept in <c>_counts</c> when the
    /// collection has one (<see cref="RowCountStore"/>), so the default list page does not read the whole table.
    /// </summary>
    public async Task<long> CountAsync(Collection collection, SqlCondition? where, DbConnection connection, CancellationToken cancellationToken)
    {
        if (where is not { IsEmpty: false } && logsChanges && RowCountStore.IsKept(collection))
        {
            // A statement of its own, not COALESCE(kept, COUNT(*)): PostgreSQL plans every statement it is sent, and
            // planning the COUNT(*) it would never run cost more than running the lookup.
            var kept = new SqlBuilder(Dialect);
            RowCountStore.AppendRead(kept, collection.Id);
            if (await kept.ScalarAsync(connection, null, cancellationToken) is { } value)
            {
                return Convert.ToInt64(value, CultureInfo.InvariantCulture);
            }
        }

        var sql = new SqlBuilder(Dialect);
        sql.Append("SELECT COUNT(*) FROM ").AppendIdentifier(collection.Name).Append(' ').AppendIdentifier(Alias);
        AppendWhere(sql, where);
        return await sql.CountAsync(connection, null, cancellationToken);
    }

    /// <summary>
    /// How many rows that meet <paramref name="where"/> share each value of the first <paramref name="length"/>
    /// characters of the text column <paramref name="column"/> (an hour of a date), in the order of those values.
    /// </summary>
    public async Task<List<(string Prefix, long Count)>> CountByPrefixAsync(Collection collection, string column, int length, SqlCondition? where, DbConnection connection, CancellationToken cancellationToken)
    {
        var prefix = $"SUBSTR({Dialect.Quote(Alias)}.{Dialect.Quote(column)}, 1, {length.ToString(CultureInfo.InvariantCulture)})";
        var sql = new SqlBuilder(Dialect);
        sql.Append("SELECT ").Append(prefix).Append(", COUNT(*) FROM ").AppendIdentifier(collection.Name).Append(' ').AppendIdentifier(Alias);
        AppendWhere(sql, where);
        sql.Append(" GROUP BY ").Append(prefix).Append(" ORDER BY ").Append(prefix);
        return await sql.ReadAsync(
            connection,
            null,
            r => (r.GetString(0), Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture)),
            cancellationToken);
    }

    /// <summary>Starts <c>SELECT m.col, … FROM "table" m</c>.</summary>
    private SqlBuilder SelectRows(Collection collection)
    {
        var sql = new SqlBuilder(Dialect);
        sql.Append("SELECT ");
        AppendColumns(sql, collection);
        sql.Append(" FROM ").AppendIdentifier(collection.Name).Append(' ').AppendIdentifier(Alias);
        return sql;
    }

    private static void AppendColumns(SqlBuilder sql, Collection collection)
    {
        for (var i = 0; i < collection.Fields.Count; i++)
        {
            sql.Append(i > 0 ? ", " : "").AppendColumn(Alias, collection.Fields[i].Name);
        }
    }

    /// <summary>Appends <c> WHERE condition</c>, or nothing for an empty condition.</summary>
    private static void AppendWhere(SqlBuilder sql, SqlCondition? where)
    {
        if (where is { IsEmpty: false })
        {
            sql.Append(" WHERE ");
            where.AppendTo(sql);
        }
    }

    /// <summary>Appends <c> AND condition</c> after a WHERE clause, or nothing for an empty condition.</summary>
    private static void AppendAnd(SqlBuilder sql, SqlCondition? where)
    {
        if (where is { IsEmpty: false })
        {
            sql.Append(" AND ");
            where.AppendTo(sql);
        }
    }

    private static void AppendOrder(SqlBuilder sql, SqlOrder? order)
    {
        if (order is { IsEmpty: false })
        {
            sql.Append(" ORDER BY ");
            order.AppendTo(sql);
        }
    }

    private static void AppendIdIn(SqlBuilder sql, IReadOnlyList<string> ids)
    {
        sql.AppendColumn(Alias, "id").Append(" IN (");
        for (var i = 0; i < ids.Count; i++)
        {
            sql.Append(i > 0 ? ", " : "").AppendParameter(ids[i]);
        }

        sql.Append(')');
    }

    /// <summary>Reads rows whose columns are the collection's fields, in order, into records.</summary>
    private Task<List<Record>> ReadRecordsAsync(SqlBuilder sql, Collection collection, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken, bool prepare = false)
    {
        // Worked out once per statement, not for each value of each row: a field's kind reads its options.
        var fields = collection.Fields;
        var kinds = new ColumnKind[fields.Count];
        var texts = new bool[fields.Count];
        for (var i = 0; i < kinds.Length; i++)
        {
            kinds[i] = ColumnKinds.Of(fields[i]);
            texts[i] = !collection.IsView && kinds[i] is ColumnKind.Text or ColumnKind.PrimaryKey;
        }

        return sql.ReadAsync(
            connection,
            transaction,
            prepare,
            reader =>
            {
                var record = new Record(collection);
                for (var i = 0; i < kinds.Length; i++)
                {
                    var field = fields[i];
                    var raw = texts[i] ? ReadText(reader, i) : reader.GetValue(i);
                    record.Set(field.Name, FieldValue(field, Dialect.FromDbValue(kinds[i], raw)));
                }

                return record;
            },
            cancellationToken);
    }

    /// <summary>
    /// A text column of a table, read as the string it holds: such a column is <c>TEXT NOT NULL</c> (SQLite's text
    /// affinity stores numbers written to it as text), and asking for a string straight away spares Microsoft.Data.Sqlite
    /// asking SQLite for the value's type a second time, a native call per value. A NULL that a hand-altered table may
    /// still hold is read as any other value.
    /// </summary>
    private static object? ReadText(DbDataReader reader, int ordinal)
    {
        try
        {
            return reader.GetString(ordinal);
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidCastException)
        {
            return reader.GetValue(ordinal);
        }
    }

    /// <summary>
    /// Makes sure a converted value has the canonical CLR type the rest of the code expects, keeping the object it was
    /// given when it already has (a number is not boxed again).
    /// </summary>
    private static object? FieldValue(Field field, object? value) => field.Type switch
    {
        FieldType.Number => value switch
        {
            double => value,
            null => 0d,
            IConvertible c => c.ToDouble(CultureInfo.InvariantCulture),
            _ => 0d,
        },
        FieldType.Bool => value switch
        {
            bool => value,
            null => false,
            string s => s is "1" or "true",
            IConvertible c => c.ToDouble(CultureInfo.InvariantCulture) != 0,
            _ => false,
        },
        _ => value ?? (field.Type == FieldType.Json ? null : FieldEmptyValue.Of(field)),
    };
}
