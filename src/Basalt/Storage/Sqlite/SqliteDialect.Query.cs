using System.Globalization;
using System.Text;

namespace Basalt.Storage.Sqlite;

/// <summary>SQLite's forms of the expressions the filter compiler emits.</summary>
public sealed partial class SqliteDialect
{
    public string RandomOrder => "RANDOM()";

    public string LockRowsClause => "";

    public int RowsPerInsert => 1;

    public string NullSafeEqual => "IS";

    public string NullSafeNotEqual => "IS NOT";

    // SQLite's LIKE is case-insensitive for ASCII letters already.
    public string LikeOperator => "LIKE";

    public string NotLikeOperator => "NOT LIKE";

    public void AppendPaging(SqlBuilder sql, int limit, int offset) =>
        sql.Append(" LIMIT ").Append(limit.ToString(CultureInfo.InvariantCulture))
            .Append(" OFFSET ").Append(offset.ToString(CultureInfo.InvariantCulture));

    public void AppendJsonArrayItems(SqlBuilder sql, Action<SqlBuilder> array, string alias)
    {
        sql.Append("json_each(");
        array(sql);
        sql.Append(") AS ").AppendIdentifier(alias);
    }

    public void AppendJsonParameter(SqlBuilder sql, string json) => sql.AppendParameter(json);

    public void AppendJsonArrayLength(SqlBuilder sql, Action<SqlBuilder> array)
    {
        sql.Append("json_array_length(");
        array(sql);
        sql.Append(')');
    }

    public void AppendJsonArrayText(SqlBuilder sql, Action<SqlBuilder> array)
    {
        var items = sql.NewAlias("__jt");
        sql.Append("(SELECT json_group_array(").AppendColumn(items, "value").Append(") FROM ");
        AppendJsonArrayItems(sql, array, items);
        sql.Append(')');
    }

    public void AppendJsonArrayContains(SqlBuilder sql, Action<SqlBuilder> array, Action<SqlBuilder> value)
    {
        var alias = sql.NewAlias("__je");
        sql.Append("EXISTS (SELECT 1 FROM ");
        AppendJsonArrayItems(sql, array, alias);
        sql.Append(" WHERE ").AppendColumn(alias, "value").Append(" = ");
        value(sql);
        sql.Append(')');
    }

    // json_extract yields typed values (1/0 for booleans, NULL for JSON null). For Text and Number the other JSON
    // types become NULL, as on PostgreSQL, so that e.g. a JSON string never compares greater than every number.
    public void AppendJsonExtract(SqlBuilder sql, Action<SqlBuilder> json, IReadOnlyList<string> path, JsonExtractKind kind)
    {
        var jsonPath = new StringBuilder("'$");
        foreach (var segment in path)
        {
            if (segment.All(char.IsAsciiDigit))
            {
                jsonPath.Append('[').Append(segment).Append(']');
            }
            else
            {
                jsonPath.Append('.').Append(segment);
            }
        }

        var literal = jsonPath.Append('\'').ToString();
        void Call(string function)
        {
            sql.Append(function).Append('(');
            json(sql);
            sql.Append(", ").Append(literal).Append(')');
        }

        if (kind is JsonExtractKind.Value or JsonExtractKind.AnyAsText)
        {
            Call("json_extract");
            return;
        }

        sql.Append("(CASE WHEN ");
        Call("json_type");
        sql.Append(kind == JsonExtractKind.Text ? " = 'text'" : " IN ('integer', 'real', 'true', 'false')").Append(" THEN ");
        Call("json_extract");
        sql.Append(" END)");
    }

    public void AppendBoolAsInteger(SqlBuilder sql, Action<SqlBuilder> value) => value(sql);

    public void AppendStrftime(SqlBuilder sql, string format, Action<SqlBuilder> time, IReadOnlyList<string> modifiers)
    {
        sql.Append("strftime(").AppendParameter(format).Append(", ");
        time(sql);
        foreach (var modifier in modifiers)
        {
            sql.Append(", ").AppendParameter(modifier);
        }

        sql.Append(')');
    }

    public void AppendGeoDistance(SqlBuilder sql, Action<SqlBuilder> lonA, Action<SqlBuilder> latA, Action<SqlBuilder> lonB, Action<SqlBuilder> latB) =>
        Haversine.Append(sql, "min", "max", lonA, latA, lonB, latB);

    public void AppendRowIdOrder(SqlBuilder sql, string alias) => sql.AppendIdentifier(alias).Append("._rowid_");

    // SQLite already puts NULLs first ascending and last descending.
    public void AppendSortDirection(SqlBuilder sql, bool descending, bool nullable) => sql.Append(descending ? " DESC" : " ASC");
}
