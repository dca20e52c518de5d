using System.Data.Common;
using System.Diagnostics;
using Basalt.Collections;
using Basalt.Common;
using Basalt.Errors;
using Basalt.Files;
using Basalt.Model;
using Basalt.Records.Fields;
using Basalt.Storage;
using Basalt.Storage.Tables;

namespace Basalt.Backups;

/// <summary>Creating a backup.</summary>
public sealed partial class BackupService
{
    /// <summary>
    /// Creates the backup <paramref name="name"/> (PocketBase's default name when null) and returns its name. Deletes of
    /// stored files are held from before the snapshot until the copy ends, so every file the snapshot's records
    /// reference is still there to copy; writes and uploads go on throughout.
    /// </summary>
    public async Task<string> CreateAsync(string? name, IProgress<BackupProgress>? progress, CancellationToken cancellationToken)
    {
        var appName = (await settings.GetAsync(cancellationToken)).Meta.AppName;
        name = string.IsNullOrEmpty(name) ? BackupNames.Default(appName, time.GetUtcNow()) : name;
        if (!BackupNames.IsValidNew(name) && !(name.StartsWith(BackupNames.AutoPrefix, StringComparison.Ordinal) && BackupNames.IsStored(name)))
        {
            throw ApiError.Field("An error occurred while validating the submitted data.", "name", "validation_match_invalid", "Invalid value format.");
        }

        Enter(name);
        try
        {
            var storage = await storages.GetAsync(cancellationToken);
            if (await storage.StatAsync(name, cancellationToken) is not null)
            {
                throw ApiError.Field("An error occurred while validating the submitted data.", "name", "validation_backup_name_exists", "The backup file name is invalid or already exists.");
            }

            var work = storage.NewWorkFile();
            try
            {
                var started = Stopwatch.GetTimestamp();
                var (size, fileCount) = await WriteArchiveAsync(work, progress, cancellationToken);
                await storage.CommitAsync(work, name, cancellationToken);
                Log.BackupCreated(logger, name, size, fileCount, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                return name;
            }
            catch (Exception e) when (e is not ApiError)
            {
                Log.BackupFailed(logger, e, name);
                throw;
            }
            finally
            {
                File.Delete(work);
            }
        }
        finally
        {
            Exit();
        }
    }

    private async Task<(long Size, int Files)> WriteArchiveAsync(string work, IProgress<BackupProgress>? progress, CancellationToken cancellationToken)
    {
        var created = DateFormat.Format(time.GetUtcNow());
        await using var hold = deletions.Hold();
        var fileStorage = await files.GetAsync(cancellationToken);
        await using var writer = new BackupArchiveWriter(work);
        var referenced = new List<string>();
        var databaseProgress = progress is null ? null : new ProgressRelay<double>(f => progress.Report(new BackupProgress("database", (long)(f * 1000), 1000)));
        var version = await Snapshots.CreateAsync(
            writer,
            async (c, tx, ct) => referenced = await ReferencedFilesAsync(c, tx, ct),
            databaseProgress,
            cancellationToken);
        if (AfterSnapshot is { } hook)
        {
            await hook(cancellationToken);
        }

        var missing = new List<string>();
        var copied = new List<string>();
        foreach (var key in referenced)
        {
            try
            {
                await using var content = await fileStorage.OpenReadAsync(key, 0, null, cancellationToken);
                await writer.AddFileAsync(key, content, cancellationToken);
                copied.Add(key);
            }
            catch (FileNotFoundException)
            {
                // A file a record names but the storage lacks (lost before this backup): the manifest says so.
                missing.Add(key);
                Log.BackupFileMissing(logger, key);
            }

            progress?.Report(new BackupProgress("files", copied.Count + missing.Count, referenced.Count));
        }

        var manifest = new BackupManifest(
            BackupManifest.CurrentFormat, BackupManifest.RunningVersion, Snapshots.Kind, version, created, [.. writer.Entries], copied, missing);
        await writer.FinishAsync(manifest, cancellationToken);
        return (new FileInfo(work).Length, copied.Count);
    }

    /// <summary>
    /// The storage keys of every file the snapshot's records reference, read through the snapshot itself: the
    /// collections as the snapshot has them, then the file columns of each table collection.
    /// </summary>
    private async Task<List<string>> ReferencedFilesAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        var rows = await SystemTables.LoadCollectionsAsync(connection, transaction, cancellationToken);
        foreach (var collection in rows.Select(CollectionRows.FromRow).Where(c => !c.IsView))
        {
            var fileFields = collection.Fields.Where(f => f.Type == FieldType.File).ToList();
            if (fileFields.Count == 0 || !FileKeys.IsSafeSegment(collection.Id))
            {
                continue;
            }

            await foreach (var (id, values) in TableScan.ReadAsync(database.Dialect, collection.Name, fileFields.Select(f => f.Name).ToList(), connection, transaction, cancellationToken))
            {
                for (var i = 0; i < fileFields.Count; i++)
                {
                    foreach (var fileName in FieldValues.Items(ValueConversion.FromDb(fileFields[i], values[i])))
                    {
                        if (FileKeys.IsSafeSegment(id) && FileKeys.IsSafeSegment(fileName))
                        {
                            keys.Add(FileKeys.File(collection.Id, id, fileName));
                        }
                    }
                }
            }
        }

        return keys;
    }
}
