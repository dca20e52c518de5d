using System.Globalization;

namespace Basalt.Storage.Sqlite;

/// <summary>SQLite's forms of the expressions the filter compiler emits.</summary>
public sealed partial class SqliteDialect
{
    public string RandomOrder => "RANDOM()";

    public void AppendPaging(SqlBuilder sql, int limit, int offset) =>
        sql.Append(" LIMIT ").Append(limit.ToString(CultureInfo.InvariantCulture))
            .Append(" OFFSET ").Append(offset.ToString(CultureInfo.InvariantCulture));
}
