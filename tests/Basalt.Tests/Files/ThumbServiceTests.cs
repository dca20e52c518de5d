using System.Runtime.CompilerServices;
using Basalt.Files;
using Basalt.Files.Thumbs;
using Basalt.Model;
using Microsoft.Extensions.Logging.Abstractions;
using NetVips;

namespace Basalt.Tests.Files;

/// <summary>ThumbService over a real local folder: a thumb is made once, whatever order concurrent requests look in.</summary>
public sealed class ThumbServiceTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "basalt-thumbs-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task A_request_that_missed_a_thumb_stored_meanwhile_serves_it_instead_of_making_it_again()
    {
        var storage = new StaleThumbStat(new LocalFileStorage(_root));
        using var source = Image.Black(300, 200) + 128;
        var bytes = source.Cast(Enums.BandFormat.Uchar).PngsaveBuffer();
        await storage.PutAsync("c/r/photo.png", new MemoryStream(bytes), "image/png", CancellationToken.None);
        var original = new ServedFile("c/r/photo.png", "photo.png", bytes.Length, DateTimeOffset.UtcNow, "image/png", Protected: false);
        var field = new Field { Name = "pics", Type = FieldType.File };
        using var thumbs = new ThumbService(NullLogger<ThumbService>.Instance);

        var made = await thumbs.FindAsync(storage, original, "c", "r", field, "100x100", CancellationToken.None);
        Assert.NotNull(made);

        // As a request whose look for the stored thumb ran just before the first generation stored it.
        storage.HideNextThumb = true;
        var late = await thumbs.FindAsync(storage, original, "c", "r", field, "100x100", CancellationToken.None);

        Assert.NotNull(late);
        Assert.Equal((made.Key, made.Length, made.ContentType), (late.Key, late.Length, late.ContentType));
    }

    /// <summary>The local storage, except that the next stat of a thumb answers "absent" once.</summary>
    private sealed class StaleThumbStat(LocalFileStorage inner) : IFileStorage
    {
        public bool HideNextThumb { get; set; }

        public bool IsShared => inner.IsShared;

        public Task<StoredFile?> StatAsync(string key, CancellationToken cancellationToken)
        {
            if (HideNextThumb && key.Contains("/thumbs_", StringComparison.Ordinal))
            {
                HideNextThumb = false;
                return Task.FromResult<StoredFile?>(null);
            }

            return inner.StatAsync(key, cancellationToken);
        }

        public Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken) =>
            inner.PutAsync(key, content, contentType, cancellationToken);

        public Task<Stream> OpenReadAsync(string key, long offset, long? length, CancellationToken cancellationToken) =>
            inner.OpenReadAsync(key, offset, length, cancellationToken);

        public Task DeleteAsync(string key, CancellationToken cancellationToken) => inner.DeleteAsync(key, cancellationToken);

        public Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken) => inner.DeletePrefixAsync(prefix, cancellationToken);

        public async IAsyncEnumerable<StoredFile> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var file in inner.ListAsync(prefix, cancellationToken))
            {
                yield return file;
            }
        }
    }
}
