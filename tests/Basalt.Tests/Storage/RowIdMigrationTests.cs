using Basalt.Storage.Postgres;
using Basalt.Tests.Fixtures;
using Npgsql;

namespace Basalt.Tests.Storage;

/// <summary>
/// PostgreSQL record tables made before <c>@rowid</c> had its hidden identity column get it from system migration 2,
/// numbered in their rows' stored order. (SQLite needs no migration: every table has a rowid.)
/// </summary>
public sealed class RowIdMigrationTests
{
    [Fact]
    public async Task Migration_2_adds_the_hidden_rowid_column_to_existing_record_tables()
    {
        var connectionString = await PostgresCluster.CreateDatabaseAsync();
        await using (var first = new PostgresDatabase(connectionString))
        {
            await first.InitializeAsync(CancellationToken.None);
        }

        // The state of a database migrated before version 2: a record table without the column.
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            foreach (var sql in new[]
            {
                """CREATE TABLE "legacy" ("id" TEXT PRIMARY KEY NOT NULL)""",
                """INSERT INTO "legacy" ("id") VALUES ('zzz'), ('aaa'), ('mmm')""",
                """INSERT INTO "_collections" ("id", "name", "type") VALUES ('pbc_legacy', 'legacy', 'base')""",
                """DELETE FROM "_migrations" WHERE "version" >= 2""",
            })
            {
                await using var command = new NpgsqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync();
            }
        }

        await using var upgraded = new PostgresDatabase(connectionString);
        await upgraded.InitializeAsync(CancellationToken.None);
        var ids = await upgraded.ReadAsync(
            async (c, ct) =>
            {
                await using var command = c.CreateCommand();
                command.CommandText = """SELECT "id" FROM "legacy" ORDER BY "_rowid_" """;
                await using var reader = await command.ExecuteReaderAsync(ct);
                var result = new List<string>();
                while (await reader.ReadAsync(ct))
                {
                    result.Add(reader.GetString(0));
                }

                return result;
            },
            CancellationToken.None);
        Assert.Equal(["zzz", "aaa", "mmm"], ids);
    }
}
