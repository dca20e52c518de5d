using System.Data.Common;

namespace Basalt.Storage.Tables;

/// <summary>The first rows of a SELECT a superuser wrote (a view query tried before it is saved).</summary>
public static class QuerySample
{
    /// <summary>
    /// Up to <paramref name="limit"/> rows of <paramref name="select"/>, each as the names and raw values (null for NULL)
    /// of the columns <paramref name="wanted"/> keeps; the others are not read. The text was checked to be one
    /// read-only SELECT; a database error reaches the caller.
    /// </summary>
    public static Task<List<List<(string Name, object? Value)>>> ReadAsync(
        DbConnection connection, ISqlDialect dialect, string select, int limit, Func<string, bool> wanted, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder(dialect).Append("SELECT * FROM (").Append(select).Append(") ").AppendIdentifier("__dry_run");
        dialect.AppendPaging(sql, limit, 0);
        return sql.ReadAsync(
            connection,
            null,
            reader =>
            {
                var columns = new List<(string, object?)>(reader.FieldCount);
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    if (!wanted(reader.GetName(i)))
                    {
                        continue;
                    }

                    columns.Add((reader.GetName(i), reader.IsDBNull(i) ? null : reader.GetValue(i)));
                }

                return columns;
            },
            cancellationToken);
    }
}
