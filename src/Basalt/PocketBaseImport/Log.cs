using Basalt.Common;
using Microsoft.Extensions.Logging;

namespace Basalt.PocketBaseImport;

/// <summary>The log messages of imports and exports (events 17000–17004).</summary>
internal static partial class Log
{
    [LoggerMessage(BasaltEventIds.ImportStarted, LogLevel.Information, "Importing {Source}: {Collections} collections, {Records} records, {Files} files")]
    public static partial void ImportStarted(ILogger logger, string source, int collections, long records, int files);

    [LoggerMessage(BasaltEventIds.ImportFinished, LogLevel.Information, "Imported {Source}: {Collections} collections, {Records} records, {Files} files in {ElapsedMilliseconds} ms")]
    public static partial void ImportFinished(ILogger logger, string source, int collections, long records, long files, long elapsedMilliseconds);

    [LoggerMessage(BasaltEventIds.ImportFailed, LogLevel.Warning, "The import of {Source} stopped and changed nothing: {Reason}")]
    public static partial void ImportFailed(ILogger logger, string source, string reason);

    [LoggerMessage(BasaltEventIds.ImportFileNotRemoved, LogLevel.Warning, "A file a failed import had stored could not be removed ({Key}); the start-up sweep removes it")]
    public static partial void ImportFileNotRemoved(ILogger logger, Exception exception, string key);

    [LoggerMessage(BasaltEventIds.ExportFinished, LogLevel.Information, "Exported {Collections} collections, {Records} records and {Files} files to {Folder} in {ElapsedMilliseconds} ms")]
    public static partial void ExportFinished(ILogger logger, int collections, long records, long files, string folder, long elapsedMilliseconds);
}
