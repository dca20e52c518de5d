using System.Globalization;
using Basalt.Storage;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Collections;

/// <summary>Raw SQL against the fixture's database, to seed rows and to check what a schema change left behind.</summary>
internal sealed class CollectionsDb(BasaltServerFixture fixture)
{
    private IDatabase Database => fixture.Services.GetRequiredService<IDatabase>();

    public async Task<bool> TableExistsAsync(string name)
    {
        var sql = new SqlBuilder(Database.Dialect);
        sql.Append(Database.Dialect.Name == "sqlite"
            ? "SELECT COUNT(*) FROM sqlite_master WHERE type IN ('table','view') AND name = "
            : "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ");
        sql.AppendParameter(name);
        return await ScalarAsync(sql) > 0;
    }

    public async Task<bool> CollectionRowExistsAsync(string name)
    {
        var sql = new SqlBuilder(Database.Dialect);
        sql.Append("SELECT COUNT(*) FROM ").AppendIdentifier("_collections").Append(" WHERE lower(").AppendIdentifier("name").Append(") = lower(");
        sql.AppendParameter(name).Append(')');
        return await ScalarAsync(sql) > 0;
    }

    public async Task<long> CountRowsAsync(string table)
    {
        var sql = new SqlBuilder(Database.Dialect);
        sql.Append("SELECT COUNT(*) FROM ").AppendIdentifier(table);
        return await ScalarAsync(sql);
    }

    /// <summary>Inserts one row with the given text/number columns.</summary>
    public Task InsertAsync(string table, IReadOnlyDictionary<string, object> values)
    {
        var sql = new SqlBuilder(Database.Dialect);
        sql.Append("INSERT INTO ").AppendIdentifier(table).Append(" (");
        sql.Append(string.Join(", ", values.Keys.Select(Database.Dialect.Quote))).Append(") VALUES (");
        var first = true;
        foreach (var value in values.Values)
        {
            if (!first)
            {
                sql.Append(", ");
            }

            sql.AppendParameter(value);
            first = false;
        }

        sql.Append(')');
        return Database.WriteAsync(
            async (c, tx, ct) =>
            {
                await using var command = sql.CreateCommand(c, tx);
                return await command.ExecuteNonQueryAsync(ct);
            },
            CancellationToken.None);
    }

    /// <summary>One column of every row, as text, ordered by id.</summary>
    public Task<List<string>> ColumnAsync(string table, string column)
    {
        var sql = new SqlBuilder(Database.Dialect);
        sql.Append("SELECT ").AppendIdentifier(column).Append(" FROM ").AppendIdentifier(table).Append(" ORDER BY ").AppendIdentifier("id");
        return Database.ReadAsync(
            async (c, ct) =>
            {
                var list = new List<string>();
                await using var command = sql.CreateCommand(c);
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    list.Add(Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture) ?? "");
                }

                return list;
            },
            CancellationToken.None);
    }

    private Task<long> ScalarAsync(SqlBuilder sql) => Database.ReadAsync(
        async (c, ct) =>
        {
            await using var command = sql.CreateCommand(c);
            return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
        },
        CancellationToken.None);
}
