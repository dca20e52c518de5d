using Basalt.Settings;
using Microsoft.Extensions.Logging;

namespace Basalt.Files;

/// <summary>
/// The storage each file operation uses: the bucket of the <c>s3</c> settings while they are enabled, the local folder
/// otherwise. Every upload, download, thumb and delete asks for it when it starts, so a settings change applies to the
/// next operation without a restart. Files already stored stay where they were written (PocketBase does not move them
/// either).
/// </summary>
public sealed class FileStorageProvider(IFileStorage local, SettingsService settings, ILogger<FileStorageProvider> logger) : IDisposable
{
    private readonly Lock _gate = new();
    private S3FileStorage? _s3;
    private IFileStorage? _last;

    /// <summary>The storage of the current settings.</summary>
    public async ValueTask<IFileStorage> GetAsync(CancellationToken cancellationToken)
    {
        var s3 = (await settings.GetAsync(cancellationToken)).S3;
        var storage = s3.Enabled ? S3For(s3) : local;
        if (!ReferenceEquals(Interlocked.Exchange(ref _last, storage), storage))
        {
            if (storage is S3FileStorage)
            {
                Log.FileStorageS3(logger, s3.Bucket, s3.Endpoint);
            }
            else
            {
                Log.FileStorageLocal(logger);
            }
        }

        return storage;
    }

    public void Dispose() => _s3?.Dispose();

    private S3FileStorage S3For(S3Settings s3)
    {
        if (_s3 is { } current && current.Settings == s3)
        {
            return current;
        }

        lock (_gate)
        {
            // A replaced client is not disposed: a download may still be reading through it. Settings change rarely,
            // and the collector takes it once nothing uses it.
            if (_s3 is null || _s3.Settings != s3)
            {
                _s3 = new S3FileStorage(s3);
            }

            return _s3;
        }
    }
}
