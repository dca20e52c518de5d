using System.Data.Common;
using Dapper;

namespace Basalt.Storage.Tables;

/// <summary>
/// The statements over <c>_appliedMigrations</c>, the record of which migration files this database has applied.
/// Every method runs inside the caller's unit, so a row commits or rolls back with the schema change it records.
/// </summary>
public static class AppliedMigrationTable
{
    /// <summary>Every applied migration, the latest applied first (then by file name, latest first): the order <c>down</c> reverts them in.</summary>
    public static async Task<IReadOnlyList<AppliedMigration>> ListAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<AppliedMigration>(new CommandDefinition(
            """SELECT "file" AS "File", "checksum" AS "Checksum", "applied" AS "Applied" FROM "_appliedMigrations" ORDER BY "applied" DESC, "file" DESC""",
            transaction: transaction,
            cancellationToken: cancellationToken));
        return rows.AsList();
    }

    /// <summary>
    /// Serializes migration runs between processes sharing the database (several nodes starting with the same files),
    /// until the caller's transaction ends; nothing on SQLite, whose single writer already does.
    /// </summary>
    public static async Task LockAsync(DbConnection connection, DbTransaction transaction, ISqlDialect dialect, CancellationToken cancellationToken)
    {
        if (dialect.SchemaLockStatement is { } statement)
        {
            await connection.ExecuteAsync(new CommandDefinition(statement, transaction: transaction, cancellationToken: cancellationToken));
        }
    }

    public static async Task<bool> IsAppliedAsync(DbConnection connection, DbTransaction transaction, string file, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """SELECT COUNT(*) FROM "_appliedMigrations" WHERE "file" = @file""",
            new { file },
            transaction,
            cancellationToken: cancellationToken)) > 0;

    public static Task InsertAsync(DbConnection connection, DbTransaction transaction, AppliedMigration row, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """INSERT INTO "_appliedMigrations" ("file", "checksum", "applied") VALUES (@File, @Checksum, @Applied)""",
            row,
            transaction,
            cancellationToken: cancellationToken));

    public static async Task<bool> DeleteAsync(DbConnection connection, DbTransaction transaction, string file, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition(
            """DELETE FROM "_appliedMigrations" WHERE "file" = @file""",
            new { file },
            transaction,
            cancellationToken: cancellationToken)) > 0;
}
