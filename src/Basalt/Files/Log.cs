using Basalt.Common;
using Basalt.Files.Thumbs;
using Microsoft.Extensions.Logging;

namespace Basalt.Files;

/// <summary>The file storage's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(BasaltEventIds.FileDeleteFailed, LogLevel.Warning, "Deleting the stored file {Key} failed; the start-up sweep will remove it")]
    public static partial void FileDeleteFailed(ILogger logger, Exception exception, string key);

    [LoggerMessage(BasaltEventIds.FileSweepRemoved, LogLevel.Information, "Removed the unreferenced stored file {Key} (left by an interrupted write or delete)")]
    public static partial void FileSweepRemoved(ILogger logger, string key);

    [LoggerMessage(BasaltEventIds.FileSweepFailed, LogLevel.Error, "The sweep of unreferenced stored files failed; it runs again at the next start")]
    public static partial void FileSweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(BasaltEventIds.FileSweepFinished, LogLevel.Debug, "The sweep of stored files checked {Checked} files and removed {Removed}")]
    public static partial void FileSweepFinished(ILogger logger, int @checked, int removed);

    [LoggerMessage(BasaltEventIds.ThumbNotMade, LogLevel.Debug, "No {Thumb} thumb of the stored file {Key}: {Reason}; the original is served")]
    public static partial void ThumbNotMade(ILogger logger, string thumb, string key, ThumbRefusal reason);

    [LoggerMessage(BasaltEventIds.ThumbStoreFailed, LogLevel.Warning, "Reading or storing the thumb {Key} failed; the original is served until a later request stores it")]
    public static partial void ThumbStoreFailed(ILogger logger, Exception exception, string key);

    [LoggerMessage(BasaltEventIds.FileStorageS3, LogLevel.Information, "Files are stored in the S3 bucket {Bucket} at {Endpoint}")]
    public static partial void FileStorageS3(ILogger logger, string bucket, string endpoint);

    [LoggerMessage(BasaltEventIds.FileStorageLocal, LogLevel.Information, "Files are stored in the local data folder")]
    public static partial void FileStorageLocal(ILogger logger);
}
