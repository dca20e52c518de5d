using System.Collections.Concurrent;
using Basalt.Model;
using Microsoft.Extensions.Logging;

namespace Basalt.Files.Thumbs;

/// <summary>
/// Serves <c>?thumb=</c> (§9): a size the field lists (or the default 100x100) of a JPEG, PNG, GIF or WebP file is
/// made once, stored beside the file under <c>thumbs_NAME/SIZE_NAME</c>, and served from there afterwards. Requests
/// for the same thumb at the same moment share one generation, and at most one thumb per core is made at a time, so a
/// burst of thumb requests costs bounded memory and CPU. Anything else serves the original, and so does a thumb that
/// could not be stored: a full or read-only store costs the thumb, not the download.
/// </summary>
public sealed class ThumbService(ILogger<ThumbService> logger) : IDisposable
{
    private static readonly string[] Extensions = [".png", ".jpg", ".jpeg", ".gif", ".webp"];
    private static readonly string[] ContentTypes = ["image/png", "image/jpeg", "image/gif", "image/webp"];

    private readonly ConcurrentDictionary<string, Lazy<Task<ServedFile?>>> _making = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _slots = new(Math.Max(1, Environment.ProcessorCount));

    // Thumbs that could not be made, by key and the original's version: a broken or hostile image is decoded once,
    // not on every request for it (each decode can cost a second of CPU). Bounded: cleared when full.
    private readonly ConcurrentDictionary<string, byte> _refused = new(StringComparer.Ordinal);
    private const int MaxRefused = 10_000;

    public void Dispose() => _slots.Dispose();

    /// <summary>The thumb to serve instead of <paramref name="original"/> (read from and stored to <paramref name="storage"/>), or null to serve the original.</summary>
    public async Task<ServedFile?> FindAsync(IFileStorage storage, ServedFile original, string ownerCollectionId, string ownerRecordId, Field field, string thumb, CancellationToken cancellationToken)
    {
        if (!IsOffered(field, thumb, out var size) || !Extensions.Contains(Path.GetExtension(original.Name).ToLowerInvariant()))
        {
            return null;
        }

        var refusal = !ContentTypes.Contains(original.ContentType) ? ThumbRefusal.NotAnImage
            : original.Length > ThumbMaker.MaxSourceBytes ? ThumbRefusal.SourceSize
            : ThumbRefusal.None;
        if (refusal != ThumbRefusal.None)
        {
            Log.ThumbNotMade(logger, thumb, original.Key, refusal);
            return null;
        }

        var key = FileKeys.Thumbs(ownerCollectionId, ownerRecordId, original.Name) + thumb + "_" + original.Name;
        StoredFile? stored;
        try
        {
            stored = await storage.StatAsync(key, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            Log.ThumbStoreFailed(logger, e, key);
            return null;
        }

        if (stored is not null)
        {
            return Served(original, key, stored, original.ContentType);
        }

        if (_refused.ContainsKey(RefusedKey(key, original)))
        {
            return null;
        }

        // The generation is shared and not cancelled by the request that started it: the others may still want it.
        var making = _making.GetOrAdd(key, k => new Lazy<Task<ServedFile?>>(() => MakeAsync(storage, original, k, size)));
        return await making.Value.WaitAsync(cancellationToken);
    }

    private static ServedFile Served(ServedFile original, string key, StoredFile thumb, string contentType) =>
        original with { Key = key, Length = thumb.Length, LastModified = thumb.LastModified, ContentType = thumb.ContentType ?? contentType };

    private static string RefusedKey(string key, ServedFile original) =>
        key + "\n" + original.Length + "\n" + original.LastModified.UtcTicks;

    private static bool IsOffered(Field field, string thumb, out ThumbSize size)
    {
        size = default;
        return ThumbSize.TryParse(thumb, out size)
            && (thumb == ThumbSize.Default.ToString() || field.GetStrings("thumbs").Contains(thumb, StringComparer.Ordinal));
    }

    private async Task<ServedFile?> MakeAsync(IFileStorage storage, ServedFile original, string key, ThumbSize size)
    {
        await _slots.WaitAsync();
        try
        {
            // A request that missed the stored thumb just before another generation stored it and left gets that
            // one: making it again would put the same key twice.
            if (await storage.StatAsync(key, CancellationToken.None) is { } done)
            {
                return Served(original, key, done, original.ContentType);
            }

            byte[] source;
            await using (var stream = await storage.OpenReadAsync(original.Key, 0, original.Length, CancellationToken.None))
            using (var buffer = new MemoryStream((int)original.Length))
            {
                await stream.CopyToAsync(buffer);
                source = buffer.ToArray();
            }

            var (made, refusal) = await Task.Run(() => (ThumbMaker.TryMake(source, size, out var why), why));
            if (made is null)
            {
                Log.ThumbNotMade(logger, size.ToString(), original.Key, refusal);
                if (_refused.Count >= MaxRefused)
                {
                    _refused.Clear();
                }

                _refused.TryAdd(RefusedKey(key, original), 0);
                return null;
            }

            var stored = await StoreAsync(storage, key, made);
            return stored is null ? null : Served(original, key, stored, made.ContentType);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        finally
        {
            _slots.Release();
            _making.TryRemove(key, out _);
        }
    }

    /// <summary>Stores a made thumb; null when the store failed (logged), so the original is served and a later request tries again.</summary>
    private async Task<StoredFile?> StoreAsync(IFileStorage storage, string key, ThumbImage made)
    {
        try
        {
            using var content = new MemoryStream(made.Bytes, writable: false);
            await storage.PutAsync(key, content, made.ContentType, CancellationToken.None);
            return await storage.StatAsync(key, CancellationToken.None);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever the store throws (an I/O error, a full disk, a read-only folder, later an S3 error).
            Log.ThumbStoreFailed(logger, e, key);
            return null;
        }
    }
}
