using Basalt.Common;
using Microsoft.Extensions.Logging;

namespace Basalt.Backups;

/// <summary>The log messages of backups and restores.</summary>
internal static partial class Log
{
    [LoggerMessage(BasaltEventIds.BackupCreated, LogLevel.Information, "Created the backup {Name}: {Size} bytes, {Files} stored files, in {Milliseconds} ms")]
    public static partial void BackupCreated(ILogger logger, string name, long size, int files, long milliseconds);

    [LoggerMessage(BasaltEventIds.BackupFailed, LogLevel.Error, "Creating the backup {Name} failed; nothing was stored under its name")]
    public static partial void BackupFailed(ILogger logger, Exception exception, string name);

    [LoggerMessage(BasaltEventIds.BackupRestored, LogLevel.Information, "Restored the backup {Name} (made {Created}, {Files} stored files); the database and the files are as they were then")]
    public static partial void BackupRestored(ILogger logger, string name, string created, int files);

    [LoggerMessage(BasaltEventIds.BackupRestoreFailed, LogLevel.Error, "Restoring the backup {Name} failed; the current data is unchanged")]
    public static partial void BackupRestoreFailed(ILogger logger, Exception exception, string name);

    [LoggerMessage(BasaltEventIds.BackupDeleted, LogLevel.Information, "Deleted the backup {Name}")]
    public static partial void BackupDeleted(ILogger logger, string name);

    [LoggerMessage(BasaltEventIds.BackupUploaded, LogLevel.Information, "Stored the uploaded backup {Name} ({Size} bytes) after checking it")]
    public static partial void BackupUploaded(ILogger logger, string name, long size);

    [LoggerMessage(BasaltEventIds.ScheduledBackupFailed, LogLevel.Error, "The scheduled backup {Name} failed; {Recipients} superusers are mailed")]
    public static partial void ScheduledBackupFailed(ILogger logger, Exception exception, string name, int recipients);

    [LoggerMessage(BasaltEventIds.BackupPruned, LogLevel.Information, "Deleted the scheduled backup {Name}: more than backups.cronMaxKeep ({Keep}) are kept")]
    public static partial void BackupPruned(ILogger logger, string name, int keep);

    [LoggerMessage(BasaltEventIds.BackupFileMissing, LogLevel.Warning, "The stored file {Key} that the snapshot references is missing; the backup lists it under missingFiles")]
    public static partial void BackupFileMissing(ILogger logger, string key);
}
