using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Basalt.Errors;
using Basalt.Files;
using Basalt.Storage.Snapshots;

namespace Basalt.Backups;

/// <summary>
/// Reads a backup archive from a local file and refuses, with a 400 saying why, anything that is not a whole backup
/// this Basalt wrote: a file that is no zip (or a truncated or damaged one), an entry name that is not a plain relative
/// path (<c>..</c>, absolute, backslashes), a missing or unreadable manifest, an entry the manifest does not list or one
/// it lists that is missing, and (in <see cref="VerifyAsync"/>) any entry whose size or SHA-256 differs. Nothing is
/// extracted by an entry's name: the database parts are read as streams and stored files are put under keys checked
/// by <see cref="FileKeys"/>.
/// </summary>
internal sealed class BackupArchiveReader : ISnapshotSource, IDisposable
{
    public const string Invalid = "The backup file is not a valid Basalt backup";

    /// <summary>A manifest larger than this is not one Basalt wrote (a million files list in far less).</summary>
    private const long MaxManifestSize = 256L << 20;

    private readonly FileStream _file;
    private readonly ZipArchive _zip;
    private readonly Dictionary<string, ZipArchiveEntry> _entries;

    private BackupArchiveReader(FileStream file, ZipArchive zip, Dictionary<string, ZipArchiveEntry> entries, BackupManifest manifest)
    {
        _file = file;
        _zip = zip;
        _entries = entries;
        Manifest = manifest;
    }

    public BackupManifest Manifest { get; }

    /// <summary>The sum of the entries' sizes (for progress).</summary>
    public long TotalSize => Manifest.Entries.Sum(e => e.Size);

    public static BackupArchiveReader Open(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.Asynchronous);
        ZipArchive? zip = null;
        try
        {
            try
            {
                zip = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
            }
            catch (InvalidDataException e)
            {
                throw Refuse("it is not a zip archive, or it is truncated or damaged", e);
            }

            var entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
            foreach (var entry in zip.Entries)
            {
                if (entry.FullName.EndsWith('/') && entry.Length == 0)
                {
                    continue;
                }

                if (!IsSafeName(entry.FullName))
                {
                    throw Refuse($"it holds an entry with an unsafe name ({Printable(entry.FullName)})");
                }

                if (!entries.TryAdd(entry.FullName, entry))
                {
                    throw Refuse($"it holds the entry {entry.FullName} twice");
                }
            }

            var manifest = ReadManifest(entries);
            Check(manifest, entries);
            return new BackupArchiveReader(file, zip, entries, manifest);
        }
        catch
        {
            zip?.Dispose();
            file.Dispose();
            throw;
        }
    }

    /// <summary>Reads every entry the manifest lists and checks its size and SHA-256; <paramref name="progress"/> gets the bytes read so far.</summary>
    public async Task VerifyAsync(IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 16];
        var done = 0L;
        foreach (var expected in Manifest.Entries)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var size = 0L;
            try
            {
                await using var stream = _entries[expected.Name].Open();
                int read;
                while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    size += read;
                    if (size > expected.Size)
                    {
                        throw Refuse($"the entry {expected.Name} is larger than its manifest says");
                    }

                    hash.AppendData(buffer, 0, read);
                    done += read;
                    progress?.Report(done);
                }
            }
            catch (InvalidDataException e)
            {
                throw Refuse($"the entry {expected.Name} is damaged", e);
            }

            if (size != expected.Size || !string.Equals(Convert.ToHexStringLower(hash.GetHashAndReset()), expected.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw Refuse($"the checksum of the entry {expected.Name} does not match its manifest");
            }
        }
    }

    public bool Contains(string name) => _entries.ContainsKey(BackupManifest.DatabaseFolder + name);

    public Task<Stream> OpenAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(_entries.TryGetValue(BackupManifest.DatabaseFolder + name, out var entry)
            ? entry.Open()
            : throw Refuse($"the database part {name} is missing"));

    /// <summary>Opens the stored file <paramref name="key"/> of the archive.</summary>
    public Stream OpenFile(string key) => _entries[BackupManifest.StorageFolder + key].Open();

    public long FileSize(string key) => _entries[BackupManifest.StorageFolder + key].Length;

    public void Dispose()
    {
        _zip.Dispose();
        _file.Dispose();
    }

    private static BackupManifest ReadManifest(Dictionary<string, ZipArchiveEntry> entries)
    {
        if (!entries.TryGetValue(BackupManifest.EntryName, out var entry))
        {
            throw Refuse("it has no manifest.json");
        }

        if (entry.Length > MaxManifestSize)
        {
            throw Refuse("its manifest is too large");
        }

        try
        {
            using var stream = entry.Open();
            return JsonSerializer.Deserialize(stream, BackupJson.Default.BackupManifest) ?? throw Refuse("its manifest is empty");
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or NotSupportedException)
        {
            throw Refuse("its manifest cannot be read", e);
        }
    }

    private static void Check(BackupManifest manifest, Dictionary<string, ZipArchiveEntry> entries)
    {
        if (manifest.Format > BackupManifest.CurrentFormat)
        {
            throw Refuse($"it was written in a newer backup format ({manifest.Format}); upgrade Basalt to restore it");
        }

        if (manifest.Format != BackupManifest.CurrentFormat || manifest.Entries is null || manifest.Files is null || manifest.Database is null || manifest.BasaltVersion is null)
        {
            throw Refuse("its manifest is not a Basalt backup manifest");
        }

        if (manifest.Database is not (DatabaseSnapshots.Sqlite or DatabaseSnapshots.Postgres))
        {
            throw Refuse($"its database kind \"{Printable(manifest.Database)}\" is unknown");
        }

        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in manifest.Entries)
        {
            if (entry?.Name is null || entry.Sha256 is null || entry.Size < 0 || !listed.Add(entry.Name))
            {
                throw Refuse("its manifest lists an entry twice or without a size and checksum");
            }

            if (!entries.ContainsKey(entry.Name))
            {
                throw Refuse($"the entry {Printable(entry.Name)} its manifest lists is missing");
            }
        }

        var unlisted = entries.Keys.FirstOrDefault(name => name != BackupManifest.EntryName && !listed.Contains(name));
        if (unlisted is not null)
        {
            throw Refuse($"it holds an entry its manifest does not list ({Printable(unlisted)})");
        }

        foreach (var key in manifest.Files)
        {
            if (key is null || FileKeys.Parse(key) is null || !listed.Contains(BackupManifest.StorageFolder + key))
            {
                throw Refuse($"its manifest lists a stored file that is not in it or has an unsafe key ({Printable(key ?? "")})");
            }
        }
    }

    /// <summary>A relative path of non-empty segments, none of them <c>.</c> or <c>..</c>, without backslashes, colons or control characters.</summary>
    private static bool IsSafeName(string name) =>
        name.Length is > 0 and <= 1024 && !name.StartsWith('/') &&
        !name.Any(c => c is '\\' or ':' || char.IsControl(c)) &&
        name.Split('/').All(s => s.Length > 0 && s is not "." and not "..");

    private static string Printable(string text) => new(text.Take(120).Select(c => char.IsControl(c) ? '?' : c).ToArray());

    private static ApiError Refuse(string reason, Exception? inner = null) =>
        new(400, $"{Invalid}: {reason}.", null, inner);
}
