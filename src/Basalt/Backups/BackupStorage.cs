using System.Security.Cryptography;
using Basalt.Errors;
using Basalt.Files;

namespace Basalt.Backups;

/// <summary>
/// Where backup archives are kept: the folder <c>DATA/backups</c> (as PocketBase's <c>pb_data/backups</c>) or the bucket
/// of the <c>backups.s3</c> settings, one archive per key at the top. An archive is written whole into a work file
/// first and only then appears under its name: renamed into the folder (and the folder fsynced), or uploaded.
/// </summary>
internal sealed class BackupStorage(IFileStorage store, string? localRoot, string workRoot)
{
    /// <summary>True when the archives are in a bucket, so restoring one downloads it first.</summary>
    public bool IsRemote => localRoot is null;

    /// <summary>The archives, newest first; work files and anything below the top are not archives.</summary>
    public async Task<List<StoredFile>> ListAsync(CancellationToken cancellationToken)
    {
        var found = new List<StoredFile>();
        await foreach (var file in store.ListAsync("", cancellationToken))
        {
            if (BackupNames.IsStored(file.Key))
            {
                found.Add(file);
            }
        }

        return found.OrderByDescending(f => f.LastModified).ThenBy(f => f.Key, StringComparer.Ordinal).ToList();
    }

    public Task<StoredFile?> StatAsync(string name, CancellationToken cancellationToken) => store.StatAsync(name, cancellationToken);

    public Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken) => store.OpenReadAsync(name, 0, null, cancellationToken);

    public Task DeleteAsync(string name, CancellationToken cancellationToken) => store.DeleteAsync(name, cancellationToken);

    /// <summary>A fresh path for an archive being written (beside the archives when they are local, so the final rename is atomic).</summary>
    public string NewWorkFile()
    {
        var folder = localRoot ?? workRoot;
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, FileKeys.TemporaryPrefix + RandomNumberGenerator.GetHexString(16, lowercase: true) + ".zip");
    }

    /// <summary>Makes the finished, fsynced work file the archive <paramref name="name"/>; fails if that name exists.</summary>
    public async Task CommitAsync(string workFile, string name, CancellationToken cancellationToken)
    {
        if (localRoot is not null)
        {
            var target = Path.Combine(localRoot, name);
            try
            {
                File.Move(workFile, target, overwrite: false);
            }
            catch (IOException) when (File.Exists(target))
            {
                // Another upload or backup of that name finished first (both checked before writing).
                throw ApiError.Field("An error occurred while validating the submitted data.", "name", "validation_backup_name_exists", "Backup file with the specified name already exists.");
            }

            DirectorySync.Flush(localRoot);
            return;
        }

        await using (var content = new FileStream(workFile, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan))
        {
            await store.PutAsync(name, content, "application/zip", cancellationToken);
        }

        File.Delete(workFile);
    }

    /// <summary>
    /// A local file holding the archive, to read it at random: the archive itself when it is local, else a download
    /// into a work file, which <see cref="LocalArchive.Dispose"/> removes.
    /// </summary>
    public async Task<LocalArchive> FetchAsync(string name, CancellationToken cancellationToken)
    {
        if (localRoot is not null)
        {
            return new LocalArchive(Path.Combine(localRoot, name), Temporary: false);
        }

        var work = NewWorkFile();
        try
        {
            await using var source = await store.OpenReadAsync(name, 0, null, cancellationToken);
            await using var target = new FileStream(work, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await source.CopyToAsync(target, cancellationToken);
        }
        catch
        {
            File.Delete(work);
            throw;
        }

        return new LocalArchive(work, Temporary: true);
    }
}

/// <summary>A backup archive as a local file; a downloaded copy is deleted on dispose.</summary>
internal sealed record LocalArchive(string Path, bool Temporary) : IDisposable
{
    public void Dispose()
    {
        if (Temporary)
        {
            File.Delete(Path);
        }
    }
}
