using System.Data.Common;

namespace Basalt.Storage.Tables;

/// <summary>Checks that a table (or view) exists with a column, reading no rows: a restored database is probed before it replaces the live one.</summary>
public static class TableProbe
{
    /// <summary>Throws the database's <see cref="DbException"/> when <paramref name="table"/> or its <paramref name="column"/> is missing.</summary>
    public static async Task ProbeAsync(DbConnection connection, DbTransaction? transaction, ISqlDialect dialect, string table, string column, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder(dialect).Append("SELECT ").AppendIdentifier(column).Append(" FROM ").AppendIdentifier(table).Append(" LIMIT 0");
        await sql.ExecuteAsync(connection, transaction, cancellationToken);
    }
}
