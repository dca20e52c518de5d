using System.Globalization;
using System.Text;

namespace Basalt.Storage.Postgres;

/// <summary>PostgreSQL's forms of the expressions the filter compiler emits, chosen to give SQLite's results.</summary>
public sealed partial class PostgresDialect
{
    // What strftime accepts as a time value; anything else must give NULL (as in SQLite), not a cast error.
    private const string DatePattern =
        "'^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?)?(Z|[+-][0-9]{2}:[0-9]{2})?$'";

    public string RandomOrder => "RANDOM()";

    public string LockRowsClause => " FOR UPDATE";

    public int RowsPerInsert => 500;

    public string NullSafeEqual => "IS NOT DISTINCT FROM";

    public string NullSafeNotEqual => "IS DISTINCT FROM";

    public string LikeOperator => "ILIKE";

    public string NotLikeOperator => "NOT ILIKE";

    public void AppendPaging(SqlBuilder sql, int limit, int offset) =>
        sql.Append(" LIMIT ").Append(limit.ToString(CultureInfo.InvariantCulture))
            .Append(" OFFSET ").Append(offset.ToString(CultureInfo.InvariantCulture));

    public void AppendJsonArrayItems(SqlBuilder sql, Action<SqlBuilder> array, string alias)
    {
        sql.Append("jsonb_array_elements_text(");
        array(sql);
        sql.Append(") AS ").AppendIdentifier(alias).Append('(').AppendIdentifier("value").Append(')');
    }

    public void AppendJsonParameter(SqlBuilder sql, string json) =>
        sql.Append("CAST(").AppendParameter(json).Append(" AS JSONB)");

    public void AppendJsonArrayLength(SqlBuilder sql, Action<SqlBuilder> array)
    {
        sql.Append("jsonb_array_length(");
        array(sql);
        sql.Append(')');
    }

    // jsonb prints arrays with ", " between items; the items' own text is escaped as SQLite's json_quote does.
    public void AppendJsonArrayText(SqlBuilder sql, Action<SqlBuilder> array)
    {
        var items = sql.NewAlias("__jt");
        sql.Append("(SELECT '[' || COALESCE(string_agg(CAST(").AppendColumn(items, "value").Append(" AS TEXT), ',' ORDER BY ")
            .AppendColumn(items, "n").Append("), '') || ']' FROM jsonb_array_elements(");
        array(sql);
        sql.Append(") WITH ORDINALITY AS ").AppendIdentifier(items).Append('(').AppendIdentifier("value").Append(", ").AppendIdentifier("n").Append("))");
    }

    public void AppendJsonArrayContains(SqlBuilder sql, Action<SqlBuilder> array, Action<SqlBuilder> value)
    {
        sql.Append('(');
        array(sql);
        sql.Append(" @> jsonb_build_array(");
        value(sql);
        sql.Append("))");
    }

    public void AppendJsonExtract(SqlBuilder sql, Action<SqlBuilder> json, IReadOnlyList<string> path, JsonExtractKind kind)
    {
        var literal = "'{" + string.Join(',', path) + "}'";
        void Node(string op)
        {
            sql.Append('(');
            json(sql);
            sql.Append(' ').Append(op).Append(' ').Append(literal).Append(')');
        }

        switch (kind)
        {
            case JsonExtractKind.Value:
                Node("#>");
                break;
            case JsonExtractKind.AnyAsText:
                Node("#>>");
                break;
            case JsonExtractKind.Text:
                sql.Append("(CASE WHEN jsonb_typeof");
                Node("#>");
                sql.Append(" = 'string' THEN ");
                Node("#>>");
                sql.Append(" END)");
                break;
            default:
                sql.Append("(CASE jsonb_typeof");
                Node("#>");
                sql.Append(" WHEN 'number' THEN CAST(");
                Node("#>>");
                sql.Append(" AS DOUBLE PRECISION) WHEN 'boolean' THEN CASE WHEN ");
                Node("#>>");
                sql.Append(" = 'true' THEN 1 ELSE 0 END END)");
                break;
        }
    }

    public void AppendBoolAsInteger(SqlBuilder sql, Action<SqlBuilder> value)
    {
        sql.Append("CAST(");
        value(sql);
        sql.Append(" AS INTEGER)");
    }

    public void AppendStrftime(SqlBuilder sql, string format, Action<SqlBuilder> time, IReadOnlyList<string> modifiers)
    {
        void Timestamp()
        {
            foreach (var modifier in modifiers.Reverse())
            {
                if (modifier.StartsWith("start of ", StringComparison.Ordinal))
                {
                    sql.Append("date_trunc('").Append(modifier["start of ".Length..]).Append("', ");
                }
                else
                {
                    sql.Append('(');
                }
            }

            sql.Append("(CASE WHEN CAST(");
            time(sql);
            sql.Append(" AS TEXT) ~ ").Append(DatePattern).Append(" THEN CAST(CAST(");
            time(sql);
            sql.Append(" AS TEXT) AS TIMESTAMPTZ) AT TIME ZONE 'UTC' END)");
            foreach (var modifier in modifiers)
            {
                if (!modifier.StartsWith("start of ", StringComparison.Ordinal))
                {
                    sql.Append(" + CAST(").AppendParameter(modifier).Append(" AS INTERVAL)");
                }

                sql.Append(')');
            }
        }

        sql.Append("(CASE WHEN ");
        Timestamp();
        sql.Append(" IS NULL THEN NULL ELSE ");
        var first = true;
        foreach (var (piece, isLiteral) in SplitFormat(format))
        {
            if (!first)
            {
                sql.Append(" || ");
            }

            first = false;
            if (isLiteral)
            {
                sql.AppendParameter(piece);
                continue;
            }

            switch (piece)
            {
                case "w":
                    sql.Append("CAST(CAST(EXTRACT(DOW FROM ");
                    Timestamp();
                    sql.Append(") AS INTEGER) AS TEXT)");
                    break;
                case "s":
                    sql.Append("CAST(CAST(FLOOR(EXTRACT(EPOCH FROM ");
                    Timestamp();
                    sql.Append(")) AS BIGINT) AS TEXT)");
                    break;
                default:
                    sql.Append("to_char(");
                    Timestamp();
                    sql.Append(", '").Append(piece).Append("')");
                    break;
            }
        }

        sql.Append(first ? "'' END)" : " END)");
    }

    public void AppendGeoDistance(SqlBuilder sql, Action<SqlBuilder> lonA, Action<SqlBuilder> latA, Action<SqlBuilder> lonB, Action<SqlBuilder> latB) =>
        Haversine.Append(sql, "LEAST", "GREATEST", lonA, latA, lonB, latB);

    // PostgreSQL tables have no stable row number; ids are the closest stand-in.
    public void AppendRowIdOrder(SqlBuilder sql, string alias) => sql.AppendColumn(alias, RowIdColumn);

    // PostgreSQL sorts NULLs last ascending by default; SQLite (and so PocketBase) puts them first.
    public void AppendSortDirection(SqlBuilder sql, bool descending, bool nullable) =>
        sql.Append(descending ? " DESC" : " ASC").Append(nullable ? (descending ? " NULLS LAST" : " NULLS FIRST") : "");

    /// <summary>Splits a strftime format into literal text and to_char patterns (or <c>w</c>/<c>s</c>, which to_char lacks).</summary>
    private static List<(string Piece, bool IsLiteral)> SplitFormat(string format)
    {
        var pieces = new List<(string, bool)>();
        var literal = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                literal.Append(format[i]);
                continue;
            }

            var spec = format[++i];
            string? pattern = spec switch
            {
                'd' => "DD",
                'f' => "SS.MS",
                'H' => "HH24",
                'j' => "DDD",
                'm' => "MM",
                'M' => "MI",
                'S' => "SS",
                'Y' => "YYYY",
                'w' => "w",
                's' => "s",
                _ => null,
            };
            if (pattern is null)
            {
                literal.Append(spec == '%' ? "%" : "%" + spec);
                continue;
            }

            if (literal.Length > 0)
            {
                pieces.Add((literal.ToString(), true));
                literal.Clear();
            }

            pieces.Add((pattern, false));
        }

        if (literal.Length > 0)
        {
            pieces.Add((literal.ToString(), true));
        }

        return pieces;
    }
}
