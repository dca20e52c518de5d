using System.Data.Common;

namespace Basalt.Storage.Tables;

/// <summary>
/// Reads every row's id and the values of some columns of a table, as they are stored: what a backup needs to list the
/// files a snapshot's records reference (or the superusers to mail). It runs on the caller's connection, which may be a
/// snapshot's.
/// </summary>
public static class TableScan
{
    public static async IAsyncEnumerable<(string Id, object?[] Values)> ReadAsync(
        ISqlDialect dialect,
        string table,
        IReadOnlyList<string> columns,
        DbConnection connection,
        DbTransaction? transaction,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder(dialect).Append("SELECT ").AppendIdentifier("id");
        foreach (var column in columns)
        {
            sql.Append(", ").AppendIdentifier(column);
        }

        sql.Append(" FROM ").AppendIdentifier(table);
        await using var command = sql.CreateCommand(connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var values = new object?[columns.Count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = reader.IsDBNull(i + 1) ? null : reader.GetValue(i + 1);
            }

            yield return (Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture) ?? "", values);
        }
    }
}
