using System.IO.Compression;
using System.Text.Json;
using Basalt.Storage.Snapshots;

namespace Basalt.Backups;

/// <summary>
/// Writes a backup archive into a local file, entry by entry, hashing each as it goes; <see cref="FinishAsync"/> adds
/// the manifest last and makes the file durable. It is the sink of the database snapshot (under <c>database/</c>).
/// </summary>
internal sealed class BackupArchiveWriter : ISnapshotSink, IAsyncDisposable
{
    private readonly FileStream _file;
    private readonly ZipArchive _zip;
    private readonly List<BackupEntry> _entries = [];

    public BackupArchiveWriter(string path)
    {
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        _zip = new ZipArchive(_file, ZipArchiveMode.Create, leaveOpen: true);
    }

    public IReadOnlyList<BackupEntry> Entries => _entries;

    /// <summary>A snapshot part goes under <c>database/</c>, compressed (database pages compress well).</summary>
    public Task WriteAsync(string name, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken) =>
        AddAsync(BackupManifest.DatabaseFolder + name, CompressionLevel.Fastest, write, cancellationToken);

    /// <summary>A stored file goes under <c>storage/KEY</c>, stored as is: uploads are mostly compressed already.</summary>
    public Task AddFileAsync(string key, Stream content, CancellationToken cancellationToken) =>
        AddAsync(BackupManifest.StorageFolder + key, CompressionLevel.NoCompression, (target, ct) => content.CopyToAsync(target, ct), cancellationToken);

    public async Task FinishAsync(BackupManifest manifest, CancellationToken cancellationToken)
    {
        var entry = _zip.CreateEntry(BackupManifest.EntryName, CompressionLevel.Optimal);
        await using (var target = entry.Open())
        {
            await JsonSerializer.SerializeAsync(target, manifest, BackupJson.Default.BackupManifest, cancellationToken);
        }

        _zip.Dispose();
        await _file.FlushAsync(cancellationToken);
        _file.Flush(flushToDisk: true);
    }

    public async ValueTask DisposeAsync()
    {
        _zip.Dispose();
        await _file.DisposeAsync();
    }

    private async Task AddAsync(string name, CompressionLevel level, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var entry = _zip.CreateEntry(name, level);
        await using var target = entry.Open();
        await using var hashing = new HashingStream(target);
        await write(hashing, cancellationToken);
        _entries.Add(new BackupEntry(name, hashing.Written, hashing.Sha256()));
    }
}
