using System.Data.Common;

namespace Basalt.Storage.Tables;

/// <summary>
/// The statements over <c>_appliedMigrations</c>, the record of which migration files this database has applied.
/// Every method runs inside the caller's unit, so a row commits or rolls back with the schema change it records.
/// </summary>
public static class AppliedMigrationTable
{
    /// <summary>Every applied migration, the latest applied first (then by file name, latest first): the order <c>down</c> reverts them in.</summary>
    public static async Task<IReadOnlyList<AppliedMigration>> ListAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        await connection.ReadAsync(
            """SELECT "file", "checksum", "applied" FROM "_appliedMigrations" ORDER BY "applied" DESC, "file" DESC""",
            transaction,
            r => new AppliedMigration(r.GetString(0), r.GetString(1), r.GetString(2)),
            cancellationToken);

    /// <summary>
    /// Serializes migration runs between processes sharing the database (several nodes starting with the same files),
    /// until the caller's transaction ends; nothing on SQLite, whose single writer already does.
    /// </summary>
    public static async Task LockAsync(DbConnection connection, DbTransaction transaction, ISqlDialect dialect, CancellationToken cancellationToken)
    {
        if (dialect.SchemaLockStatement is { } statement)
        {
            await connection.ExecuteAsync(statement, transaction, cancellationToken);
        }
    }

    public static async Task<bool> IsAppliedAsync(DbConnection connection, DbTransaction transaction, string file, CancellationToken cancellationToken) =>
        await connection.ScalarAsync("""SELECT 1 FROM "_appliedMigrations" WHERE "file" = @file""", transaction, cancellationToken, ("file", file)) is not null;

    public static Task InsertAsync(DbConnection connection, DbTransaction transaction, AppliedMigration row, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(
            """INSERT INTO "_appliedMigrations" ("file", "checksum", "applied") VALUES (@file, @checksum, @applied)""",
            transaction,
            cancellationToken,
            ("file", row.File), ("checksum", row.Checksum), ("applied", row.Applied));

    public static async Task<bool> DeleteAsync(DbConnection connection, DbTransaction transaction, string file, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync("""DELETE FROM "_appliedMigrations" WHERE "file" = @file""", transaction, cancellationToken, ("file", file)) > 0;
}
