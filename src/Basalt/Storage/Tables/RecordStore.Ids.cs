using System.Data.Common;
using System.Globalization;
using Basalt.Model;
using Basalt.Storage.Schema;

namespace Basalt.Storage.Tables;

/// <summary>Ids and yes/no answers: which rows a condition keeps, whether a row meets a rule, whether a value is taken.</summary>
public sealed partial class RecordStore
{
    /// <summary>The ids of the rows that meet <paramref name="where"/>, among <paramref name="among"/> when given (every row otherwise).</summary>
    public Task<List<string>> ReadIdsAsync(Collection collection, IReadOnlyList<string>? among, SqlCondition? where, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var sql = SelectIds(collection);
        if (among is not null)
        {
            sql.Append(" WHERE ");
            AppendIdIn(sql, among);
            AppendAnd(sql, where);
        }
        else
        {
            AppendWhere(sql, where);
        }

        return sql.ReadStringsAsync(connection, transaction, cancellationToken);
    }

    /// <summary>A page of the ids of the rows that meet <paramref name="where"/>, in <paramref name="order"/>.</summary>
    public Task<List<string>> ReadIdsAsync(Collection collection, SqlCondition? where, SqlOrder? order, int limit, int offset, DbConnection connection, CancellationToken cancellationToken)
    {
        var sql = SelectIds(collection);
        AppendWhere(sql, where);
        AppendOrder(sql, order);
        Dialect.AppendPaging(sql, limit, offset);
        return sql.ReadStringsAsync(connection, null, cancellationToken);
    }

    /// <summary>Whether the row <paramref name="id"/> exists and meets <paramref name="where"/>.</summary>
    public Task<bool> ExistsAsync(Collection collection, string id, SqlCondition? where, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder(Dialect);
        sql.Append("SELECT 1 FROM ").AppendIdentifier(collection.Name).Append(' ').AppendIdentifier(Alias)
            .Append(" WHERE ").AppendColumn(Alias, "id").Append(" = ").AppendParameter(id);
        AppendAnd(sql, where);
        sql.Append(" LIMIT 1");
        return sql.AnyAsync(connection, transaction, cancellationToken);
    }

    /// <summary>
    /// Whether a record that is not stored yet meets <paramref name="where"/>: its values are read as a one-row table in
    /// place of the collection's (PocketBase's create-rule CTE), so nothing is written.
    /// </summary>
    public Task<bool> CandidateMeetsAsync(Record candidate, SqlCondition? where, DbConnection connection, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder(Dialect);
        sql.Append("SELECT 1 FROM (");
        AppendCandidate(sql, candidate);
        sql.Append(") ").AppendIdentifier(Alias);
        AppendWhere(sql, where);
        sql.Append(" LIMIT 1");
        return sql.AnyAsync(connection, null, cancellationToken);
    }

    /// <summary>
    /// Which of <paramref name="conditions"/> a record that is not stored (or no longer) meets, in one statement: its
    /// values are read once, as a one-row table named as the collection's alias, and each condition answers with its
    /// index (<c>WITH m AS (SELECT …) SELECT 0 FROM m WHERE c0 UNION ALL SELECT 1 FROM m WHERE c1 …</c>). Each condition
    /// must have parameters of its own (<see cref="SqlCondition(ISqlDialect, string)"/>).
    /// </summary>
    public async Task<bool[]> CandidateMeetsEachAsync(Record candidate, IReadOnlyList<SqlCondition> conditions, DbConnection connection, CancellationToken cancellationToken)
    {
        var answers = new bool[conditions.Count];
        if (conditions.Count == 0)
        {
            return answers;
        }

        var sql = new SqlBuilder(Dialect);
        sql.Append("WITH ").AppendIdentifier(Alias).Append(" AS (");
        AppendCandidate(sql, candidate);
        sql.Append(')');
        for (var i = 0; i < conditions.Count; i++)
        {
            sql.Append(i == 0 ? " SELECT " : " UNION ALL SELECT ").Append(i.ToString(CultureInfo.InvariantCulture))
                .Append(" FROM ").AppendIdentifier(Alias);
            AppendWhere(sql, conditions[i]);
        }

        foreach (var index in await sql.ReadAsync(connection, null, r => Convert.ToInt32(r.GetValue(0), CultureInfo.InvariantCulture), cancellationToken))
        {
            answers[index] = true;
        }

        return answers;
    }

    /// <summary>Appends <c>SELECT @v0 AS "id", …</c>: the record's values as one row with the collection's columns.</summary>
    private static void AppendCandidate(SqlBuilder sql, Record candidate)
    {
        sql.Append("SELECT ");
        var fields = candidate.Collection.Fields;
        for (var i = 0; i < fields.Count; i++)
        {
            sql.Append(i > 0 ? ", " : "");
            var value = candidate.Get(fields[i].Name);
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

    /// <summary>Whether every one of <paramref name="ids"/> is a row of the collection.</summary>
    public async Task<bool> AllExistAsync(Collection collection, IReadOnlyList<string> ids, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder(Dialect);
        sql.Append("SELECT COUNT(*) FROM ").AppendIdentifier(collection.Name).Append(' ').AppendIdentifier(Alias).Append(" WHERE ");
        AppendIdIn(sql, ids);
        return await sql.CountAsync(connection, transaction, cancellationToken) == ids.Count;
    }

    /// <summary>Whether a row other than <paramref name="exceptId"/> holds <paramref name="value"/> in <paramref name="column"/>, compared case-insensitively.</summary>
    public Task<bool> IsTakenAsync(Collection collection, string column, string value, string? exceptId, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder(Dialect);
        sql.Append("SELECT 1 FROM ").AppendIdentifier(collection.Name).Append(' ').AppendIdentifier(Alias)
            .Append(" WHERE LOWER(").AppendColumn(Alias, column).Append(") = ").AppendParameter(value.ToLowerInvariant());
        if (exceptId is not null)
        {
            sql.Append(" AND ").AppendColumn(Alias, "id").Append(" <> ").AppendParameter(exceptId);
        }

        sql.Append(" LIMIT 1");
        return sql.AnyAsync(connection, transaction, cancellationToken);
    }

    /// <summary>Whether another row holds the same values as <paramref name="record"/> in every one of <paramref name="columns"/>.</summary>
    public Task<bool> HasTwinAsync(Record record, IReadOnlyList<string> columns, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder(Dialect);
        sql.Append("SELECT 1 FROM ").AppendIdentifier(record.Collection.Name).Append(' ').AppendIdentifier(Alias)
            .Append(" WHERE ").AppendColumn(Alias, "id").Append(" <> ").AppendParameter(record.Id);
        foreach (var column in columns)
        {
            sql.Append(" AND ").AppendColumn(Alias, column).Append(" = ").AppendParameter(record.Get(column));
        }

        sql.Append(" LIMIT 1");
        return sql.AnyAsync(connection, transaction, cancellationToken);
    }

    /// <summary>Whether the collection has any row.</summary>
    public Task<bool> AnyAsync(Collection collection, DbConnection connection, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder(Dialect);
        sql.Append("SELECT 1 FROM ").AppendIdentifier(collection.Name).Append(" LIMIT 1");
        return sql.AnyAsync(connection, null, cancellationToken);
    }

    private SqlBuilder SelectIds(Collection collection)
    {
        var sql = new SqlBuilder(Dialect);
        sql.Append("SELECT ").AppendColumn(Alias, "id").Append(" FROM ").AppendIdentifier(collection.Name).Append(' ').AppendIdentifier(Alias);
        return sql;
    }

    /// <summary>
    /// Holds the database-wide lock of schema upgrades until <paramref name="transaction"/> ends, for a rare
    /// check-then-insert that must not race the same write on another node (READ COMMITTED lets both see nothing
    /// and both insert); nothing on SQLite, whose single writer already serializes it.
    /// </summary>
    public Task LockAcrossNodesAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        AppliedMigrationTable.LockAsync(connection, transaction, Dialect, cancellationToken);
}
