using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using Basalt.Collections;
using Basalt.Errors;
using Basalt.Files;
using Basalt.Settings;
using Basalt.Storage;
using Basalt.Storage.Snapshots;
using Basalt.Storage.Tables;

namespace Basalt.Backups;

/// <summary>Restoring a backup.</summary>
public sealed partial class BackupService
{
    /// <summary>
    /// Replaces the data with the backup <paramref name="name"/>, in the running server. Every check comes first (the
    /// archive whole, its manifest and checksums, the database kind, Basalt's and the schema's versions), and each
    /// refusal is a 400 that changes nothing. Then the backup's files missing from the storage are added, the database
    /// is replaced in one atomic step (if that fails, the added files are removed again and the data is as it was), the
    /// caches are reloaded, and the files no restored record references are swept. Where files and backups are stored
    /// (the <c>s3</c> and <c>backups</c> settings) stays as it was, since the files were just restored there.
    /// </summary>
    public async Task RestoreAsync(string name, IProgress<BackupProgress>? progress, CancellationToken cancellationToken)
    {
        if (!BackupNames.IsStored(name))
        {
            throw ApiError.BadRequest(Missing);
        }

        Enter(name);
        try
        {
            var storage = await storages.GetAsync(cancellationToken);
            if (await storage.StatAsync(name, cancellationToken) is null)
            {
                throw ApiError.BadRequest(Missing);
            }

            using var local = await FetchAsync(storage, name, cancellationToken);
            using var archive = OpenArchive(local.Path);
            CheckCompatible(archive.Manifest);
            var total = archive.TotalSize;
            await archive.VerifyAsync(progress is null ? null : new ProgressRelay<long>(done => progress.Report(new BackupProgress("verify", done, total))), cancellationToken);
            await ReplaceAsync(name, archive, progress, cancellationToken);
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>The archive, or the 400 of a missing one when a delete (checked before this restore took its turn) removed it meanwhile.</summary>
    private static async Task<LocalArchive> FetchAsync(BackupStorage storage, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await storage.FetchAsync(name, cancellationToken);
        }
        catch (FileNotFoundException e)
        {
            throw new ApiError(400, Missing, null, e);
        }
    }

    private static BackupArchiveReader OpenArchive(string path)
    {
        try
        {
            return BackupArchiveReader.Open(path);
        }
        catch (FileNotFoundException e)
        {
            throw new ApiError(400, Missing, null, e);
        }
    }

    /// <summary>Refuses a backup of another database kind, or one made by a newer Basalt.</summary>
    private void CheckCompatible(BackupManifest manifest)
    {
        if (manifest.Database != Snapshots.Kind)
        {
            throw ApiError.BadRequest(
                $"The backup holds a {Describe(manifest.Database)} database and this server runs on {Describe(Snapshots.Kind)}; " +
                "a backup restores only into the kind of database that made it.");
        }

        if (Version.TryParse(manifest.BasaltVersion, out var made) && Version.TryParse(BackupManifest.RunningVersion, out var running) && made > running)
        {
            throw ApiError.BadRequest($"The backup was made by Basalt {manifest.BasaltVersion}, newer than this one ({BackupManifest.RunningVersion}); upgrade Basalt to restore it.");
        }
    }

    private async Task ReplaceAsync(string name, BackupArchiveReader archive, IProgress<BackupProgress>? progress, CancellationToken cancellationToken)
    {
        var before = await settings.GetAsync(cancellationToken);
        var started = time.GetUtcNow();
        var fileStorage = await files.GetAsync(cancellationToken);
        var added = new List<string>();
        try
        {
            var done = 0;
            foreach (var key in archive.Manifest.Files)
            {
                // A stored file never changes under its name (names carry a random suffix), so one already there is the same file.
                if (await fileStorage.StatAsync(key, cancellationToken) is null)
                {
                    string contentType;
                    await using (var head = archive.OpenFile(key))
                    {
                        contentType = await FileSniffer.DetectAsync(head, cancellationToken);
                    }

                    await using var content = archive.OpenFile(key);
                    await fileStorage.PutAsync(key, content, contentType, cancellationToken);
                    added.Add(key);
                }

                progress?.Report(new BackupProgress("files", ++done, archive.Manifest.Files.Count));
            }

            progress?.Report(new BackupProgress("database", 0, 1));
            await Snapshots.RestoreAsync(archive, CheckRestoredAsync, cancellationToken);
            progress?.Report(new BackupProgress("database", 1, 1));
        }
        catch (Exception e)
        {
            foreach (var key in added)
            {
                await TryDeleteAsync(fileStorage, key);
            }

            Log.BackupRestoreFailed(logger, e, name);
            throw e is SnapshotRefusedException refused ? new ApiError(400, refused.Message, null, refused) : e;
        }

        settings.Reload();
        await collections.EnsureSystemCollectionsAsync(cancellationToken);
        await dispatcher.SkipToAsync((await changeLog.BoundsAsync(cancellationToken)).PrunedThrough, cancellationToken);
        DropRealtimeClients();
        await KeepStorageSettingsAsync(before, cancellationToken);
        await sweeper.SweepAsync(started, cancellationToken);
        Log.BackupRestored(logger, name, archive.Manifest.Created, archive.Manifest.Files.Count);
    }

    /// <summary>
    /// Refuses restored data this server could not run on, before it replaces the current data: a crafted archive's
    /// checksums match whatever it holds, so its database may lack Basalt's tables or a collection's table or view.
    /// </summary>
    private async Task CheckRestoredAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var (table, column) in new[] { (SystemTables.Params, "id"), (SystemTables.Changes, "id"), (SystemTables.AppliedMigrations, "file") })
            {
                await TableProbe.ProbeAsync(connection, transaction, database.Dialect, table, column, cancellationToken);
            }

            foreach (var row in await SystemTables.LoadCollectionsAsync(connection, transaction, cancellationToken))
            {
                var collection = CollectionRows.FromRow(row);
                await TableProbe.ProbeAsync(connection, transaction, database.Dialect, collection.Name, "id", cancellationToken);
            }
        }
        catch (Exception e) when (e is DbException or JsonException)
        {
            throw new SnapshotRefusedException($"The backup's database is not one this Basalt can run on: {e.Message}", e);
        }
    }

    /// <summary>
    /// Every realtime connection ends, as PocketBase's restart ends them: their subscriptions and bound auth belong to
    /// the data before. Clients reconnect; one that resumes from an earlier event is told to reload.
    /// </summary>
    private void DropRealtimeClients()
    {
        foreach (var client in realtime.Clients.ToList())
        {
            realtime.Remove(client);
        }
    }

    /// <summary>Puts back the <c>s3</c> and <c>backups</c> sections the server had before the restore, when the backup's differ.</summary>
    private async Task KeepStorageSettingsAsync(AppSettings before, CancellationToken cancellationToken)
    {
        var after = await settings.GetAsync(cancellationToken);
        if (after.S3 == before.S3 && after.Backups == before.Backups)
        {
            return;
        }

        await settings.PatchAsync(
            new JsonObject { ["s3"] = before.S3.ToJson(includeSecrets: true), ["backups"] = before.Backups.ToJson(includeSecrets: true) },
            cancellationToken);
    }

    private static async Task TryDeleteAsync(IFileStorage storage, string key)
    {
        try
        {
            await storage.DeleteAsync(key, CancellationToken.None);
        }
        catch (Exception)
        {
            // Unreferenced, so the next sweep removes it.
        }
    }

    private static string Describe(string kind) => kind switch
    {
        DatabaseSnapshots.Sqlite => "SQLite",
        DatabaseSnapshots.Postgres => "PostgreSQL",
        _ => kind,
    };
}
