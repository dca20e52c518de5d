using System.Data.Common;
using System.Globalization;
using Basalt.Model;

namespace Basalt.Storage.Tables;

/// <summary>Following relations: the rows that point at given ids, for the delete cascade and back-relation expands.</summary>
public sealed partial class RecordStore
{
    /// <summary>
    /// The rows of <paramref name="collection"/> whose relation <paramref name="field"/> may hold any of
    /// <paramref name="ids"/>. A multiple relation is a JSON array; its text form is pre-filtered with LIKE on each
    /// quoted id (portable across databases), so callers must still check the decoded list exactly.
    /// </summary>
    public Task<List<Record>> FindReferencingAsync(Collection collection, Field field, IReadOnlyList<string> ids, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var sql = SelectRows(collection);
        sql.Append(" WHERE ");
        if (!field.IsMultiple)
        {
            sql.AppendColumn(Alias, field.Name).Append(" IN (");
            for (var i = 0; i < ids.Count; i++)
            {
                sql.Append(i > 0 ? ", " : "").AppendParameter(ids[i]);
            }

            sql.Append(')');
        }
        else
        {
            sql.Append('(');
            for (var i = 0; i < ids.Count; i++)
            {
                sql.Append(i > 0 ? " OR " : "").Append("CAST(").AppendColumn(Alias, field.Name).Append(" AS TEXT) LIKE ")
                    .AppendParameter("%\"" + ids[i] + "\"%");
            }

            sql.Append(')');
        }

        return ReadRecordsAsync(sql, collection, connection, transaction, cancellationToken);
    }

    /// <summary>
    /// The rows of <paramref name="source"/> that meet <paramref name="where"/> and whose relation <paramref name="field"/>
    /// links to any of <paramref name="parents"/>, at most <paramref name="perParent"/> per parent (in insertion order),
    /// cut in SQL so a parent with a million back-relations costs no more than one with a thousand. Rows come back in
    /// insertion order, once per parent they link to. The helper columns are quoted names no field can take (<c>^\w+$</c>).
    /// </summary>
    public Task<List<Record>> FindBackRelationsAsync(Collection source, Field field, IReadOnlyList<string> parents, int perParent, SqlCondition? where, DbConnection connection, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder(Dialect);
        sql.Append("SELECT * FROM (SELECT ");
        AppendColumns(sql, source);
        sql.Append(", ROW_NUMBER() OVER (PARTITION BY ").AppendColumn("p", "pid").Append(" ORDER BY ");
        AppendInsertionOrder(sql, source);
        sql.Append(") AS ").AppendIdentifier("@n").Append(", ");
        AppendInsertionOrder(sql, source);
        sql.Append(" AS ").AppendIdentifier("@o");
        sql.Append(" FROM ").AppendIdentifier(source.Name).Append(' ').AppendIdentifier(Alias).Append(", (");
        for (var i = 0; i < parents.Count; i++)
        {
            sql.Append(i > 0 ? " UNION ALL SELECT " : "SELECT ").AppendParameter(parents[i]).Append(i == 0 ? " AS pid" : "");
        }

        sql.Append(") p WHERE ");
        if (field.IsMultiple)
        {
            Dialect.AppendJsonArrayContains(sql, s => s.AppendColumn(Alias, field.Name), s => s.AppendColumn("p", "pid"));
        }
        else
        {
            sql.AppendColumn(Alias, field.Name).Append(" = ").AppendColumn("p", "pid");
        }

        AppendAnd(sql, where);
        sql.Append(") ").AppendIdentifier(Alias).Append(" WHERE ").AppendColumn(Alias, "@n").Append(" <= ")
            .Append(perParent.ToString(CultureInfo.InvariantCulture))
            .Append(" ORDER BY ").AppendColumn(Alias, "@o");
        return ReadRecordsAsync(sql, source, connection, null, cancellationToken);
    }

    /// <summary>A view has no row id; its rows keep the order of their ids.</summary>
    private void AppendInsertionOrder(SqlBuilder sql, Collection collection)
    {
        if (collection.IsView)
        {
            sql.AppendColumn(Alias, "id");
        }
        else
        {
            Dialect.AppendRowIdOrder(sql, Alias);
        }
    }
}
