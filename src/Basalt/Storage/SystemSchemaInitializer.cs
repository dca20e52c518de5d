using System.Data.Common;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Basalt.Storage;

/// <summary>
/// Creates and upgrades Basalt's own tables once per process. Each step has a version recorded in <c>_migrations</c>;
/// steps run in one write, so a start that crashes half-way leaves the previous version intact.
/// </summary>
/// <param name="kind">"SQLite" or "PostgreSQL", and <paramref name="location"/> the file or <c>host:port/database</c>: for the log.</param>
internal sealed class SystemSchemaInitializer(IDatabase database, ILogger logger, string kind, string location, string durability)
{
    private readonly Lock _gate = new();
    private Task? _run;

    public Task RunAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_run is null || _run.IsFaulted || _run.IsCanceled)
            {
                _run = CheckThenUpgradeAsync(cancellationToken);
            }

            return _run;
        }
    }

    /// <summary>
    /// A database already at the latest version (every start but the first) costs one read, without taking the write
    /// lock: only a missing or older schema goes through the locked upgrade, which reads the version again.
    /// </summary>
    private async Task CheckThenUpgradeAsync(CancellationToken cancellationToken)
    {
        var latest = Steps(database.Dialect).Length;
        var found = await database.ReadAsync(ReadVersionAsync, cancellationToken);
        if (found >= latest)
        {
            Log.StorageOpened(logger, kind, location, durability, (int)found);
            return;
        }

        var (from, to) = await database.WriteAsync((c, tx, ct) => UpgradeAsync(c, tx, database.Dialect, ct), cancellationToken);
        if (from != to)
        {
            Log.SystemSchemaMigrated(logger, location, from, to);
        }

        Log.StorageOpened(logger, kind, location, durability, to);
    }

    /// <summary>The version this Basalt upgrades the system tables to.</summary>
    internal static int LatestVersion(ISqlDialect dialect) => Steps(dialect).Length;

    /// <summary>The recorded schema version; 0 when <c>_migrations</c> does not exist yet.</summary>
    internal static async Task<long> ReadVersionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        UnitConnections.Sent(connection);
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT MAX("version") FROM "_migrations" """;
        try
        {
            return await command.ExecuteScalarAsync(cancellationToken) is { } value and not DBNull ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : 0;
        }
        catch (DbException)
        {
            return 0;
        }
    }

    /// <summary>The steps, in version order (version = position + 1). Append new steps; never edit a released one.</summary>
    private static IEnumerable<string>[] Steps(ISqlDialect d) =>
    [
        [
            $"""
            CREATE TABLE "_collections" (
                "id" TEXT PRIMARY KEY NOT NULL,
                "system" BOOLEAN NOT NULL DEFAULT FALSE,
                "type" TEXT NOT NULL DEFAULT 'base',
                "name" TEXT NOT NULL,
                "fields" {d.JsonColumnType} NOT NULL DEFAULT '[]',
                "indexes" {d.JsonColumnType} NOT NULL DEFAULT '[]',
                "listRule" TEXT NULL DEFAULT NULL,
                "viewRule" TEXT NULL DEFAULT NULL,
                "createRule" TEXT NULL DEFAULT NULL,
                "updateRule" TEXT NULL DEFAULT NULL,
                "deleteRule" TEXT NULL DEFAULT NULL,
                "viewQuery" TEXT NULL DEFAULT NULL,
                "options" {d.JsonColumnType} NOT NULL DEFAULT '{"{}"}',
                "created" TEXT NOT NULL DEFAULT '',
                "updated" TEXT NOT NULL DEFAULT ''
            )
            """,
            $"""CREATE UNIQUE INDEX "_collections_name_idx" ON "_collections" ({d.CaseInsensitiveIndexColumn("\"name\"")})""",
            $"""
            CREATE TABLE "_params" (
                "id" TEXT PRIMARY KEY NOT NULL,
                "value" {d.JsonColumnType} NULL DEFAULT NULL,
                "created" TEXT NOT NULL DEFAULT '',
                "updated" TEXT NOT NULL DEFAULT ''
            )
            """,
        ],
        d.AddRowIdColumns,
        [
            // The record is the row as stored, JSON text that is only ever read back whole: TEXT, not jsonb.
            $"""
            CREATE TABLE IF NOT EXISTS "{SystemTables.Changes}" (
                "id" {d.ChangeLogIdColumn},
                "created" BIGINT NOT NULL,
                "collectionId" TEXT NOT NULL,
                "recordId" TEXT NOT NULL,
                "action" TEXT NOT NULL,
                "record" TEXT NOT NULL
            )
            """,
        ],
        [
            $"""
            CREATE TABLE IF NOT EXISTS "{SystemTables.AppliedMigrations}" (
                "file" TEXT PRIMARY KEY NOT NULL,
                "checksum" TEXT NOT NULL DEFAULT '',
                "applied" TEXT NOT NULL DEFAULT ''
            )
            """,
        ],
        [
            // A count is the sum of its slots (see RowCountStore). Filled per collection by RowCountStore.TrackMissingAsync
            // at start, which counts each table once; so a table of this name an earlier build of the branch made (one row
            // per collection) is dropped and counted again.
            $"""DROP TABLE IF EXISTS "{SystemTables.Counts}" """,
            $"""
            CREATE TABLE "{SystemTables.Counts}" (
                "collectionId" TEXT NOT NULL,
                "slot" INTEGER NOT NULL,
                "count" BIGINT NOT NULL DEFAULT 0,
                PRIMARY KEY ("collectionId", "slot")
            )
            """,
        ],

        // The "cluster" step (issue 16, several nodes on one PostgreSQL): rate-limit windows and node heartbeats.
        d.ClusterTables,

        // Realtime across nodes without sticky routing: which node holds a client, and subscribes forwarded to it.
        d.RealtimeClusterTables,
    ];

    /// <summary>Applies the missing steps; returns the version found and the version left.</summary>
    internal static async Task<(int From, int To)> UpgradeAsync(DbConnection connection, DbTransaction transaction, ISqlDialect dialect, CancellationToken cancellationToken)
    {
        if (dialect.SchemaLockStatement is { } lockStatement)
        {
            await connection.ExecuteAsync(lockStatement, transaction, cancellationToken);
        }

        await connection.ExecuteAsync(
            """CREATE TABLE IF NOT EXISTS "_migrations" ("version" INTEGER PRIMARY KEY NOT NULL, "applied" TEXT NOT NULL)""",
            transaction,
            cancellationToken);
        var current = Convert.ToInt64(
            await connection.ScalarAsync("""SELECT MAX("version") FROM "_migrations" """, transaction, cancellationToken) ?? 0L,
            CultureInfo.InvariantCulture);

        var steps = Steps(dialect);
        for (var version = (int)current + 1; version <= steps.Length; version++)
        {
            foreach (var sql in steps[version - 1])
            {
                await connection.ExecuteAsync(sql, transaction, cancellationToken);
            }

            await connection.ExecuteAsync(
                """INSERT INTO "_migrations" ("version", "applied") VALUES (@version, @applied)""",
                transaction,
                cancellationToken,
                ("version", version), ("applied", Common.DateFormat.Format(DateTimeOffset.UtcNow)));
        }

        return ((int)current, Math.Max((int)current, steps.Length));
    }
}
