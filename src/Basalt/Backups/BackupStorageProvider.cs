using Basalt.Files;
using Basalt.Settings;
using Microsoft.Extensions.Options;

namespace Basalt.Backups;

/// <summary>
/// The backup storage of the current settings: the bucket of <c>backups.s3</c> while it is enabled, <c>DATA/backups</c>
/// otherwise. Asked per operation, so a settings change applies to the next one.
/// </summary>
public sealed class BackupStorageProvider(SettingsService settings, IOptions<BackupOptions> options) : IDisposable
{
    private readonly Lock _gate = new();
    private S3FileStorage? _s3;
    private BackupStorage? _local;

    private string DataDir => options.Value.DataDir;

    internal async ValueTask<BackupStorage> GetAsync(CancellationToken cancellationToken)
    {
        var s3 = (await settings.GetAsync(cancellationToken)).Backups.S3;
        var work = Path.Combine(DataDir, ".backups-work");
        if (!s3.Enabled)
        {
            return _local ??= new BackupStorage(new LocalFileStorage(Path.Combine(DataDir, "backups")), Path.Combine(Path.GetFullPath(DataDir), "backups"), work);
        }

        lock (_gate)
        {
            // A replaced client is not disposed: a download may still be reading through it.
            if (_s3 is null || _s3.Settings != s3)
            {
                _s3 = new S3FileStorage(s3);
            }

            return new BackupStorage(_s3, null, work);
        }
    }

    public void Dispose() => _s3?.Dispose();
}
