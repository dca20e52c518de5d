using System.Globalization;

namespace Basalt.Storage.Postgres;

/// <summary>PostgreSQL's forms of the expressions the filter compiler emits.</summary>
public sealed partial class PostgresDialect
{
    public string RandomOrder => "RANDOM()";

    public void AppendPaging(SqlBuilder sql, int limit, int offset) =>
        sql.Append(" LIMIT ").Append(limit.ToString(CultureInfo.InvariantCulture))
            .Append(" OFFSET ").Append(offset.ToString(CultureInfo.InvariantCulture));
}
