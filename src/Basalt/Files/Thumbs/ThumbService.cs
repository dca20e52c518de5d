using System.Collections.Concurrent;
using Basalt.Model;

namespace Basalt.Files.Thumbs;

/// <summary>
/// Serves <c>?thumb=</c> (§9): a size the field lists (or the default 100x100) of a JPEG, PNG, GIF or WebP file is
/// made once, stored beside the file under <c>thumbs_NAME/SIZE_NAME</c>, and served from there afterwards. Requests
/// for the same thumb at the same moment share one generation, and at most one thumb per core is made at a time, so a
/// burst of thumb requests costs bounded memory and CPU. Anything else serves the original.
/// </summary>
public sealed class ThumbService(IFileStorage storage) : IDisposable
{
    private static readonly string[] Extensions = [".png", ".jpg", ".jpeg", ".gif", ".webp"];
    private static readonly string[] ContentTypes = ["image/png", "image/jpeg", "image/gif", "image/webp"];

    private readonly ConcurrentDictionary<string, Lazy<Task<ServedFile?>>> _making = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _slots = new(Math.Max(1, Environment.ProcessorCount));

    public void Dispose() => _slots.Dispose();

    /// <summary>The thumb to serve instead of <paramref name="original"/>, or null to serve the original.</summary>
    public async Task<ServedFile?> FindAsync(ServedFile original, string ownerCollectionId, string ownerRecordId, Field field, string thumb, CancellationToken cancellationToken)
    {
        if (!IsOffered(field, thumb, out var size)
            || !Extensions.Contains(Path.GetExtension(original.Name).ToLowerInvariant())
            || !ContentTypes.Contains(original.ContentType)
            || original.Length > ThumbMaker.MaxSourceBytes)
        {
            return null;
        }

        var key = FileKeys.Thumbs(ownerCollectionId, ownerRecordId, original.Name) + thumb + "_" + original.Name;
        if (await storage.StatAsync(key, cancellationToken) is { } stored)
        {
            return Served(original, key, stored, original.ContentType);
        }

        // The generation is shared and not cancelled by the request that started it: the others may still want it.
        var making = _making.GetOrAdd(key, k => new Lazy<Task<ServedFile?>>(() => MakeAsync(original, k, size)));
        return await making.Value.WaitAsync(cancellationToken);
    }

    private static ServedFile Served(ServedFile original, string key, StoredFile thumb, string contentType) =>
        original with { Key = key, Length = thumb.Length, LastModified = thumb.LastModified, ContentType = thumb.ContentType ?? contentType };

    private static bool IsOffered(Field field, string thumb, out ThumbSize size)
    {
        size = default;
        return ThumbSize.TryParse(thumb, out size)
            && (thumb == ThumbSize.Default.ToString() || field.GetStrings("thumbs").Contains(thumb, StringComparer.Ordinal));
    }

    private async Task<ServedFile?> MakeAsync(ServedFile original, string key, ThumbSize size)
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

            var made = await Task.Run(() => ThumbMaker.TryMake(source, size));
            if (made is null)
            {
                return null;
            }

            using var content = new MemoryStream(made.Bytes, writable: false);
            await storage.PutAsync(key, content, made.ContentType, CancellationToken.None);
            var stored = await storage.StatAsync(key, CancellationToken.None);
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
}
