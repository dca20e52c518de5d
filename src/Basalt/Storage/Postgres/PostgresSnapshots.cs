using System.Data;
using System.Text.Json;
using Basalt.Storage.Snapshots;
using Basalt.Storage.Tables;
using Npgsql;

namespace Basalt.Storage.Postgres;

/// <summary>
/// PostgreSQL snapshots, made by Basalt itself so no server binaries are needed: one REPEATABLE READ, READ ONLY
/// transaction reads the definitions of Basalt's tables and views from the catalog and each table's rows with
/// <c>COPY … TO STDOUT (FORMAT binary)</c>, all on one snapshot while writes go on (MVCC: a reader blocks no writer).
/// The request logs (<c>_logs</c>) are left out, as SQLite's <c>auxiliary.db</c> is. A restore drops Basalt's tables and
/// views and recreates them from the snapshot in one transaction (PostgreSQL's DDL is transactional), so it commits
/// whole or leaves the current data untouched; writes running meanwhile wait for its locks.
/// </summary>
internal sealed partial class PostgresSnapshots(PostgresDatabase database) : IDatabaseSnapshots
{
    public const string SchemaPart = "schema.json";

    /// <summary>Tables a snapshot leaves alone: the request logs live beside the data, not in it.</summary>
    private static readonly string[] Excluded = ["_logs"];

    public string Kind => DatabaseSnapshots.Postgres;

    public async Task<int> CreateAsync(ISnapshotSink sink, SnapshotInspector inspect, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriteConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        await ExecuteAsync(connection, transaction, "SET TRANSACTION READ ONLY", cancellationToken);
        var version = (int)await SystemSchemaInitializer.ReadVersionAsync(connection, cancellationToken);
        var (tables, views) = await ReadCatalogAsync(connection, transaction, cancellationToken);
        var weights = tables.Select(t => Math.Max(1, t.Pages)).ToList();
        var total = (double)weights.Sum();
        var done = 0L;
        for (var i = 0; i < tables.Count; i++)
        {
            var table = tables[i].Table;
            await sink.WriteAsync(
                table.Part,
                async (target, ct) =>
                {
                    await using var rows = await connection.BeginRawBinaryCopyAsync($"COPY {Quote(table.Name)} ({ColumnList(table)}) TO STDOUT (FORMAT binary)", ct);
                    await rows.CopyToAsync(target, ct);
                },
                cancellationToken);
            done += weights[i];
            progress?.Report(done / total);
        }

        var schema = new PostgresSnapshotSchema(version, tables.Select(t => t.Table).ToList(), views);
        await sink.WriteAsync(SchemaPart, (target, ct) => JsonSerializer.SerializeAsync(target, schema, PostgresSnapshotJson.Default.PostgresSnapshotSchema, ct), cancellationToken);
        await inspect(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return version;
    }

    public async Task RestoreAsync(ISnapshotSource source, SnapshotInspector check, CancellationToken cancellationToken)
    {
        var schema = await ReadSchemaAsync(source, cancellationToken);
        await using var connection = await database.OpenWriteConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        var changeIds = await ChangeLogSequenceAsync(connection, transaction, cancellationToken);
        await DropCurrentAsync(connection, transaction, cancellationToken);
        foreach (var table in schema.Tables)
        {
            await ExecuteAsync(connection, transaction, CreateTable(table), cancellationToken);
            await using (var rows = await source.OpenAsync(table.Part, cancellationToken))
            await using (var copy = await connection.BeginRawBinaryCopyAsync($"COPY {Quote(table.Name)} ({ColumnList(table)}) FROM STDIN (FORMAT binary)", cancellationToken))
            {
                await rows.CopyToAsync(copy, cancellationToken);
            }
        }

        foreach (var table in schema.Tables)
        {
            foreach (var constraint in table.Constraints)
            {
                await ExecuteAsync(connection, transaction, $"ALTER TABLE {Quote(table.Name)} ADD CONSTRAINT {Quote(constraint.Name)} {constraint.Definition}", cancellationToken);
            }

            foreach (var index in table.Indexes)
            {
                await ExecuteAsync(connection, transaction, index, cancellationToken);
            }

            foreach (var column in table.Columns.Where(c => c.Identity.Length > 0))
            {
                await ExecuteAsync(
                    connection,
                    transaction,
                    $"SELECT setval(pg_get_serial_sequence('{Quote(table.Name).Replace("'", "''", StringComparison.Ordinal)}', '{column.Name.Replace("'", "''", StringComparison.Ordinal)}'), " +
                    $"COALESCE(MAX({Quote(column.Name)}), 0) + 1, false) FROM {Quote(table.Name)}",
                    cancellationToken);
            }
        }

        await CreateViewsAsync(connection, transaction, schema.Views, cancellationToken);
        if (schema.SchemaVersion < SystemSchemaInitializer.LatestVersion(database.Dialect))
        {
            await SystemSchemaInitializer.UpgradeAsync(connection, transaction, database.Dialect, cancellationToken);
        }

        await check(connection, transaction, cancellationToken);
        await ResetChangeLogAsync(connection, transaction, changeIds, cancellationToken);
        await transaction.CommitAsync(CancellationToken.None);
    }

    /// <summary>The last id the change log gave out (0 when it has none).</summary>
    private static async Task<long> ChangeLogSequenceAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var exists = new NpgsqlCommand($"SELECT to_regclass('{Quote(SystemTables.Changes)}') IS NOT NULL", connection, transaction);
        if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
        {
            return 0;
        }

        await using var last = new NpgsqlCommand($"SELECT COALESCE(pg_sequence_last_value(pg_get_serial_sequence('{Quote(SystemTables.Changes)}', 'id')), 0)", connection, transaction);
        return Convert.ToInt64(await last.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Change-log ids never go back (the realtime dispatcher remembers the last id it sent), and the restored log starts
    /// empty, pruned through an id above every one given out before: see <see cref="IDatabaseSnapshots.RestoreAsync"/>.
    /// </summary>
    private async Task ResetChangeLogAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long before, CancellationToken cancellationToken)
    {
        var table = Quote(SystemTables.Changes);
        await using var restored = new NpgsqlCommand($"SELECT COALESCE(MAX(\"id\"), 0) FROM {table}", connection, transaction);
        var mark = Math.Max(before, Convert.ToInt64(await restored.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture)) + 1;
        await ExecuteAsync(connection, transaction, $"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {mark})", cancellationToken);
        await ChangeLogStore.ResetForRestoreAsync(connection, transaction, database.Dialect, mark, cancellationToken);
    }

    /// <summary>Views may read other views: each round creates those whose dependencies exist, until none is left.</summary>
    private static async Task CreateViewsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<PostgresSnapshotView> views, CancellationToken cancellationToken)
    {
        var pending = views.ToList();
        while (pending.Count > 0)
        {
            var failed = new List<PostgresSnapshotView>();
            PostgresException? last = null;
            foreach (var view in pending)
            {
                await transaction.SaveAsync("basalt_view", cancellationToken);
                try
                {
                    await ExecuteAsync(connection, transaction, $"CREATE VIEW {Quote(view.Name)} AS {view.Definition}", cancellationToken);
                    await transaction.ReleaseAsync("basalt_view", cancellationToken);
                }
                catch (PostgresException e)
                {
                    await transaction.RollbackAsync("basalt_view", cancellationToken);
                    failed.Add(view);
                    last = e;
                }
            }

            if (failed.Count == pending.Count)
            {
                throw new SnapshotRefusedException($"The backup's view {failed[0].Name} cannot be created: {last?.MessageText}", last);
            }

            pending = failed;
        }
    }

    /// <summary>Drops Basalt's current tables and views (not the request logs); the caller's transaction keeps them until it commits.</summary>
    private static async Task DropCurrentAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var relations = new List<(string Name, bool View)>();
        await using (var command = new NpgsqlCommand(
            "SELECT c.relname, c.relkind = 'v' FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v') ORDER BY c.relkind = 'v' DESC, c.oid DESC",
            connection,
            transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                relations.Add((reader.GetString(0), reader.GetBoolean(1)));
            }
        }

        foreach (var (name, view) in relations.Where(r => !Excluded.Contains(r.Name, StringComparer.Ordinal)))
        {
            await ExecuteAsync(connection, transaction, $"DROP {(view ? "VIEW" : "TABLE")} IF EXISTS {Quote(name)} CASCADE", cancellationToken);
        }
    }

    private static string CreateTable(PostgresSnapshotTable table) =>
        $"CREATE TABLE {Quote(table.Name)} (" + string.Join(", ", table.Columns.Select(c =>
            Quote(c.Name) + " " + c.Type +
            c.Identity switch
            {
                "a" => " GENERATED ALWAYS AS IDENTITY",
                "d" => " GENERATED BY DEFAULT AS IDENTITY",
                _ => (c.NotNull ? " NOT NULL" : "") + (c.Default is { } d ? " DEFAULT " + d : ""),
            })) + ")";

    private static string ColumnList(PostgresSnapshotTable table) => string.Join(", ", table.Columns.Select(c => Quote(c.Name)));

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
