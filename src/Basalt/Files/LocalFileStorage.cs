using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace Basalt.Files;

/// <summary>
/// Files in a local folder (<c>DATA/storage</c>, as PocketBase): key <c>a/b/c</c> is the file <c>ROOT/a/b/c</c>.
/// A put writes a temporary file beside the target, fsyncs it, renames it into place and fsyncs the folder (and every
/// folder it had to create), so an acknowledged put survives a power cut and a crash never leaves a partial file
/// under a real name.
/// </summary>
public sealed class LocalFileStorage : IFileStorage
{
    private readonly string _root;

    public LocalFileStorage(string root)
    {
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(_root);
    }

    /// <summary>The absolute path of the storage folder.</summary>
    public string Root => _root;

    /// <summary>The data folder is Basalt's own: only this process (or the nodes of one cluster) writes to it.</summary>
    public bool IsShared => false;

    public async Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken)
    {
        var target = PathOf(key);
        var folder = Path.GetDirectoryName(target)!; // PathOf only returns paths below the root
        var temporary = Path.Combine(folder, FileKeys.TemporaryPrefix + RandomNumberGenerator.GetHexString(16, lowercase: true));
        for (var attempt = 0; ; attempt++)
        {
            EnsureFolder(folder);
            try
            {
                await WriteAsync(temporary, content, cancellationToken);
                break;
            }
            catch (DirectoryNotFoundException) when (attempt == 0 && content.CanSeek)
            {
                // The empty record folder was removed (a delete of its last file) between creating and writing.
                content.Position = 0;
            }
        }

        try
        {
            File.Move(temporary, target, overwrite: false);
            DirectorySync.Flush(folder);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    public Task<StoredFile?> StatAsync(string key, CancellationToken cancellationToken)
    {
        var info = new FileInfo(PathOf(key));
        return Task.FromResult(info.Exists ? new StoredFile(key, info.Length, info.LastWriteTimeUtc) : null);
    }

    public Task<Stream> OpenReadAsync(string key, long offset, long? length, CancellationToken cancellationToken)
    {
        try
        {
            var stream = new FileStream(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
            stream.Seek(offset, SeekOrigin.Begin);
            return Task.FromResult<Stream>(stream);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new FileNotFoundException("No such file.", key, e);
        }
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            return Task.CompletedTask;
        }

        RemoveEmptyFolders(Path.GetDirectoryName(path)!);
        return Task.CompletedTask;
    }

    public Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        var path = PathOf(prefix.TrimEnd('/'));
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
            RemoveEmptyFolders(Path.GetDirectoryName(path)!);
        }

        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<StoredFile> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var folder = prefix.Length == 0 ? _root : PathOf(prefix.TrimEnd('/'));
        if (!Directory.Exists(folder))
        {
            yield break;
        }

        // Temporary uploads start with a dot, which Unix counts as hidden: skip nothing but links.
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (var path in Directory.EnumerateFiles(folder, "*", options))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var info = new FileInfo(path);
            if (info.Exists)
            {
                yield return new StoredFile(Path.GetRelativePath(_root, path).Replace(Path.DirectorySeparatorChar, '/'), info.Length, info.LastWriteTimeUtc);
            }

            await Task.CompletedTask;
        }
    }

    private static async Task WriteAsync(string path, Stream content, CancellationToken cancellationToken)
    {
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
            await content.CopyToAsync(file, cancellationToken);
            await file.FlushAsync(cancellationToken);
            file.Flush(flushToDisk: true);
        }
        catch
        {
            TryDelete(path);
            throw;
        }
    }

    /// <summary>Creates the missing folders of <paramref name="folder"/> top-down, flushing each parent so the new entry is durable.</summary>
    private void EnsureFolder(string folder)
    {
        if (Directory.Exists(folder))
        {
            return;
        }

        var parent = Path.GetDirectoryName(folder)!;
        if (!string.Equals(parent, _root, StringComparison.Ordinal) && parent.Length > _root.Length)
        {
            EnsureFolder(parent);
        }

        Directory.CreateDirectory(folder);
        DirectorySync.Flush(parent);
    }

    /// <summary>Removes the record and collection folders once empty; a folder that is not empty (or a racing put) stays.</summary>
    private void RemoveEmptyFolders(string folder)
    {
        while (folder.Length > _root.Length && folder.StartsWith(_root, StringComparison.Ordinal))
        {
            try
            {
                Directory.Delete(folder, recursive: false);
            }
            catch (IOException)
            {
                return;
            }
            catch (UnauthorizedAccessException)
            {
                return;
            }

            folder = Path.GetDirectoryName(folder)!;
        }
    }

    private string PathOf(string key)
    {
        if (key.Length == 0 || key.Split('/').Any(s => !FileKeys.IsSafeSegment(s)))
        {
            throw new ArgumentException("Not a valid storage key.", nameof(key));
        }

        var path = Path.GetFullPath(Path.Combine(_root, key.Replace('/', Path.DirectorySeparatorChar)));
        return path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new ArgumentException("Not a valid storage key.", nameof(key));
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Left for the start-up sweep.
        }
        catch (UnauthorizedAccessException)
        {
            // Left for the start-up sweep.
        }
    }
}
