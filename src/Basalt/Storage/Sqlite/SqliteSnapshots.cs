using System.Globalization;
using System.Security.Cryptography;
using Basalt.Storage.Snapshots;
using Basalt.Storage.Tables;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Basalt.Storage.Sqlite;

/// <summary>
/// SQLite snapshots. A snapshot copies the database page by page with SQLite's backup API from a connection of its own
/// that holds one read transaction for the whole copy: in WAL mode a reader never blocks the writer, so group commits go
/// on, and the held transaction keeps the copy on one consistent version (without it the backup API would restart each
/// time a commit lands between two steps). A restore checks and, if needed, upgrades a copy of the snapshot beside the
/// database, then copies it into the writer's connection as one write transaction between two group commits, so readers
/// see the old data or the new, and a failure rolls back to the old. The change log then restarts, in the same turn of
/// the writer (<see cref="IDatabaseSnapshots.RestoreAsync"/>).
/// </summary>
internal sealed class SqliteSnapshots(SqliteDatabase database) : IDatabaseSnapshots
{
    public const string Part = "data.db";

    /// <summary>Pages per backup step (4 MiB at SQLite's default page size): often enough progress, few calls.</summary>
    private const int PagesPerStep = 1024;

    public string Kind => DatabaseSnapshots.Sqlite;

    public async Task<int> CreateAsync(ISnapshotSink sink, SnapshotInspector inspect, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var copy = WorkFile("snapshot");
        try
        {
            // The copy is native, blocking work that may last minutes on a large file: a thread of its own, not a pool thread.
            await Task.Factory.StartNew(() => Copy(copy, progress, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            int version;
            await using (var connection = Open(copy, SqliteOpenMode.ReadWrite))
            {
                version = (int)await SystemSchemaInitializer.ReadVersionAsync(connection, cancellationToken);
                await inspect(connection, null, cancellationToken);
            }

            await sink.WriteAsync(
                Part,
                async (target, ct) =>
                {
                    await using var file = new FileStream(copy, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
                    await file.CopyToAsync(target, ct);
                },
                cancellationToken);
            return version;
        }
        finally
        {
            DeleteFiles(copy);
        }
    }

    public async Task RestoreAsync(ISnapshotSource source, SnapshotInspector check, CancellationToken cancellationToken)
    {
        if (!source.Contains(Part))
        {
            throw new SnapshotRefusedException("The backup holds no SQLite database.");
        }

        var staged = WorkFile("restore");
        try
        {
            await using (var input = await source.OpenAsync(Part, cancellationToken))
            await using (var file = new FileStream(staged, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await input.CopyToAsync(file, cancellationToken);
            }

            await PrepareAsync(staged, cancellationToken);
            await using (var inspected = Open(staged, SqliteOpenMode.ReadOnly))
            {
                await check(inspected, null, cancellationToken);
            }

            await database.RunExclusiveAsync(
                async (writer, _) =>
                {
                    using var from = Open(staged, SqliteOpenMode.ReadWrite);
                    var changeIds = ChangeLogSequence(writer, null);
                    CopyAll(from, writer);

                    // The data is replaced: the log is reset whatever the caller's token says, or realtime would read the snapshot's past.
                    await using var transaction = (SqliteTransaction)await writer.BeginTransactionAsync(CancellationToken.None);
                    var mark = Math.Max(changeIds, ChangeLogSequence(writer, transaction)) + 1;
                    SetChangeLogSequence(writer, transaction, mark);
                    await ChangeLogStore.ResetForRestoreAsync(writer, transaction, database.Dialect, mark, CancellationToken.None);
                    await transaction.CommitAsync(CancellationToken.None);
                    return 0;
                },
                cancellationToken);
        }
        finally
        {
            DeleteFiles(staged);
        }
    }

    /// <summary>
    /// Checks the staged file is a sound SQLite database with Basalt's tables at a version this Basalt reads, upgrades
    /// an older one, and gives it the live database's page size (the backup API cannot copy between page sizes into a
    /// WAL database).
    /// </summary>
    private async Task PrepareAsync(string staged, CancellationToken cancellationToken)
    {
        long version;
        long pageSize;
        try
        {
            await using var connection = Open(staged, SqliteOpenMode.ReadWrite);
            var check = Scalar(connection, "PRAGMA quick_check");
            if (!string.Equals(check, "ok", StringComparison.Ordinal))
            {
                throw new SnapshotRefusedException($"The backup's SQLite database is damaged: {check}");
            }

            version = await SystemSchemaInitializer.ReadVersionAsync(connection, cancellationToken);
            pageSize = long.Parse(Scalar(connection, "PRAGMA page_size"), CultureInfo.InvariantCulture);
        }
        catch (SqliteException e)
        {
            throw new SnapshotRefusedException($"The backup's database is not a readable SQLite database: {e.Message}", e);
        }

        var latest = SystemSchemaInitializer.LatestVersion(database.Dialect);
        if (version == 0)
        {
            throw new SnapshotRefusedException("The backup's database has no Basalt system tables.");
        }

        if (version > latest)
        {
            throw new SnapshotRefusedException(
                $"The backup's database is at schema version {version}, made by a newer Basalt; this one reads up to version {latest}. Upgrade Basalt first.");
        }

        if (version < latest)
        {
            var upgrade = new SqliteDatabase(
                new StorageOptions { DataDir = Path.GetDirectoryName(staged)!, Durability = Durability.Fast },
                fileName: Path.GetFileName(staged));
            await using (upgrade)
            {
                await upgrade.InitializeAsync(cancellationToken);
            }
        }

        long livePageSize;
        using (var live = Open(database.FilePath, SqliteOpenMode.ReadOnly))
        {
            livePageSize = long.Parse(Scalar(live, "PRAGMA page_size"), CultureInfo.InvariantCulture);
        }

        // Scratch files (the snapshot's copy, an upgraded one) may carry WAL mode in their header; a rollback journal
        // keeps everything in the one file.
        using var scratch = Open(staged, SqliteOpenMode.ReadWrite);
        Execute(scratch, livePageSize != pageSize ? $"PRAGMA journal_mode=DELETE; PRAGMA page_size={livePageSize}; VACUUM;" : "PRAGMA journal_mode=DELETE;");
    }

    private void Copy(string target, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        using var source = Open(database.FilePath, SqliteOpenMode.ReadOnly);
        using var copy = Open(target, SqliteOpenMode.ReadWriteCreate);

        // The copy is a scratch file: no journal, no fsync; the archive it goes into is what is made durable.
        Execute(copy, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;");
        using var snapshot = source.BeginTransaction(deferred: true);
        using (var start = source.CreateCommand())
        {
            // A deferred transaction takes its read snapshot at its first read.
            start.Transaction = snapshot;
            start.CommandText = "SELECT COUNT(*) FROM sqlite_master";
            start.ExecuteScalar();
        }

        var backup = raw.sqlite3_backup_init(copy.Handle, "main", source.Handle, "main");
        if (backup is null || backup.IsInvalid)
        {
            throw new SqliteException("Cannot start the snapshot copy: " + raw.sqlite3_errmsg(copy.Handle).utf8_to_string(), raw.sqlite3_errcode(copy.Handle));
        }

        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var rc = raw.sqlite3_backup_step(backup, PagesPerStep);
                var total = raw.sqlite3_backup_pagecount(backup);
                progress?.Report(total == 0 ? 1 : 1 - ((double)raw.sqlite3_backup_remaining(backup) / total));
                if (rc == raw.SQLITE_DONE)
                {
                    break;
                }

                if (rc is not (raw.SQLITE_OK or raw.SQLITE_BUSY or raw.SQLITE_LOCKED))
                {
                    throw new SqliteException("The snapshot copy failed: " + raw.sqlite3_errstr(rc).utf8_to_string(), rc);
                }
            }
        }
        finally
        {
            raw.sqlite3_backup_finish(backup);
        }

        snapshot.Commit();
    }

    /// <summary>Copies the whole of <paramref name="from"/> into <paramref name="to"/> as one write transaction (rolled back on failure).</summary>
    private static void CopyAll(SqliteConnection from, SqliteConnection to)
    {
        var backup = raw.sqlite3_backup_init(to.Handle, "main", from.Handle, "main");
        if (backup is null || backup.IsInvalid)
        {
            throw new SqliteException("Cannot start the restore: " + raw.sqlite3_errmsg(to.Handle).utf8_to_string(), raw.sqlite3_errcode(to.Handle));
        }

        int rc;
        try
        {
            rc = raw.sqlite3_backup_step(backup, -1);
        }
        finally
        {
            raw.sqlite3_backup_finish(backup);
        }

        if (rc != raw.SQLITE_DONE)
        {
            throw new SqliteException("The restore failed: " + raw.sqlite3_errstr(rc).utf8_to_string(), rc);
        }
    }

    /// <summary>The last id the change log gave out (0 when it never did).</summary>
    private static long ChangeLogSequence(SqliteConnection connection, SqliteTransaction? transaction)
    {
        try
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT seq FROM sqlite_sequence WHERE name = $name";
            command.Parameters.AddWithValue("$name", SystemTables.Changes);
            return Convert.ToInt64(command.ExecuteScalar() ?? 0L, CultureInfo.InvariantCulture);
        }
        catch (SqliteException)
        {
            return 0; // no AUTOINCREMENT table yet, so no sqlite_sequence
        }
    }

    /// <summary>Makes <paramref name="last"/> the last id the change log gave out, so the next one is above it.</summary>
    private static void SetChangeLogSequence(SqliteConnection connection, SqliteTransaction transaction, long last)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "UPDATE sqlite_sequence SET seq = $seq WHERE name = $name; " +
                              "INSERT INTO sqlite_sequence (name, seq) SELECT $name, $seq WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = $name)";
        command.Parameters.AddWithValue("$name", SystemTables.Changes);
        command.Parameters.AddWithValue("$seq", last);
        command.ExecuteNonQuery();
    }

    private string WorkFile(string purpose) =>
        Path.Combine(Path.GetDirectoryName(database.FilePath)!, $".{purpose}-{RandomNumberGenerator.GetHexString(12, lowercase: true)}.db");

    private static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static string Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture) ?? "";
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static void DeleteFiles(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // A scratch file; the next snapshot uses another name.
            }
        }
    }
}
