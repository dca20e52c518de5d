using Basalt.Collections;
using Basalt.Errors;
using Basalt.Files;
using Basalt.Realtime;
using Basalt.Settings;
using Basalt.Storage;
using Basalt.Storage.Snapshots;
using Basalt.Storage.Tables;
using Microsoft.Extensions.Logging;

namespace Basalt.Backups;

/// <summary>
/// Backups of §11: list, create, upload, open for download, delete and restore. A backup is one zip archive holding a
/// consistent snapshot of the database, the stored files its records reference and a manifest with checksums
/// (<see cref="BackupManifest"/>). Creating one never stops writes: the snapshot is taken while group commits go on,
/// and file deletes are held back until the copy is done. One backup or restore runs at a time.
/// </summary>
public sealed partial class BackupService(
    IDatabase database,
    BackupStorageProvider storages,
    FileStorageProvider files,
    FileDeletions deletions,
    FileSweeper sweeper,
    CollectionService collections,
    SettingsService settings,
    RealtimeClientRegistry realtime,
    RealtimeDispatcher dispatcher,
    ChangeLogStore changeLog,
    TimeProvider time,
    ILogger<BackupService> logger)
{
    public const string Busy = "Try again later - another backup/restore process has already been started.";
    public const string Missing = "Missing or invalid backup file.";

    private IDatabaseSnapshots? _snapshots;
    private int _running;
    private string? _active;

    /// <summary>True while a backup or restore runs (<c>canBackup</c> of the health check is its opposite).</summary>
    public bool IsRunning => Volatile.Read(ref _running) != 0;

    /// <summary>For tests: runs after the snapshot is taken and before the stored files are copied.</summary>
    internal Func<CancellationToken, Task>? AfterSnapshot { get; set; }

    /// <summary>The kind of database a backup of this server holds (<c>sqlite</c> or <c>postgres</c>).</summary>
    public string DatabaseKind => Snapshots.Kind;

    /// <summary>Made on first use: a host with a database of its own (not SQLite or PostgreSQL) can still serve everything else.</summary>
    private IDatabaseSnapshots Snapshots => _snapshots ??= DatabaseSnapshots.For(database);

    public async Task<IReadOnlyList<BackupInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var storage = await storages.GetAsync(cancellationToken);
        var found = await storage.ListAsync(cancellationToken);
        return found.Select(f => new BackupInfo(f.Key, f.Length, f.LastModified)).ToList();
    }

    /// <summary>Opens a stored backup for download; 404 when there is none of that name.</summary>
    public async Task<(BackupInfo Info, Stream Content)> OpenAsync(string name, CancellationToken cancellationToken)
    {
        var storage = await storages.GetAsync(cancellationToken);
        var stat = BackupNames.IsStored(name) ? await storage.StatAsync(name, cancellationToken) : null;
        if (stat is null)
        {
            throw ApiError.NotFound();
        }

        try
        {
            return (new BackupInfo(name, stat.Length, stat.LastModified), await storage.OpenReadAsync(name, cancellationToken));
        }
        catch (FileNotFoundException)
        {
            throw ApiError.NotFound();
        }
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        var storage = await storages.GetAsync(cancellationToken);
        if (!BackupNames.IsStored(name) || await storage.StatAsync(name, cancellationToken) is null)
        {
            throw ApiError.BadRequest("Invalid or already deleted backup file.");
        }

        if (string.Equals(Volatile.Read(ref _active), name, StringComparison.Ordinal))
        {
            throw ApiError.BadRequest("The backup is currently being used and cannot be deleted.");
        }

        await storage.DeleteAsync(name, cancellationToken);
        Log.BackupDeleted(logger, name);
    }

    /// <summary>
    /// Stores an uploaded archive under <paramref name="name"/> after checking it whole (manifest, entry names and
    /// every checksum): a damaged, truncated or foreign file is refused with 400 and nothing is stored.
    /// </summary>
    public async Task UploadAsync(string name, Stream content, CancellationToken cancellationToken)
    {
        if (!BackupNames.IsStored(name))
        {
            throw ApiError.Field("An error occurred while validating the submitted data.", "file", "validation_invalid_name",
                "The backup file name must be a plain file name ending in .zip (letters, digits, @ _ . -).");
        }

        var storage = await storages.GetAsync(cancellationToken);
        if (await storage.StatAsync(name, cancellationToken) is not null)
        {
            throw ApiError.Field("An error occurred while validating the submitted data.", "file", "validation_backup_name_exists", "Backup file with the specified name already exists.");
        }

        var work = storage.NewWorkFile();
        try
        {
            long size;
            await using (var target = new FileStream(work, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(target, cancellationToken);
                await target.FlushAsync(cancellationToken);
                target.Flush(flushToDisk: true);
                size = target.Length;
            }

            using (var archive = BackupArchiveReader.Open(work))
            {
                await archive.VerifyAsync(null, cancellationToken);
            }

            await storage.CommitAsync(work, name, cancellationToken);
            Log.BackupUploaded(logger, name, size);
        }
        finally
        {
            File.Delete(work);
        }
    }

    /// <summary>Takes the one backup/restore turn, or refuses with PocketBase's 400.</summary>
    private void Enter(string name)
    {
        if (Interlocked.CompareExchange(ref _running, 1, 0) != 0)
        {
            throw ApiError.BadRequest(Busy);
        }

        Volatile.Write(ref _active, name);
    }

    private void Exit()
    {
        Volatile.Write(ref _active, null);
        Volatile.Write(ref _running, 0);
    }
}
