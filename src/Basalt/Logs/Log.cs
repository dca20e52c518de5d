using Basalt.Common;
using Microsoft.Extensions.Logging;

namespace Basalt.Logs;

/// <summary>The request log writer's own log messages (to the server's console, not to <c>_logs</c>).</summary>
internal static partial class Log
{
    [LoggerMessage(BasaltEventIds.RequestLogQueueFull, LogLevel.Warning, "The request log queue is full ({Capacity} entries); request logs are being dropped until it drains")]
    public static partial void RequestLogQueueFull(ILogger logger, int capacity);

    [LoggerMessage(BasaltEventIds.RequestLogWriteFailed, LogLevel.Error, "Writing {Count} request logs failed; they are dropped")]
    public static partial void RequestLogWriteFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(BasaltEventIds.RequestLogsPruned, LogLevel.Debug, "Deleted {Count} request logs older than {MaxDays} days")]
    public static partial void RequestLogsPruned(ILogger logger, int count, int maxDays);

    [LoggerMessage(BasaltEventIds.RequestLogDrainTimedOut, LogLevel.Warning, "Shutting down with {Count} request logs not written")]
    public static partial void RequestLogDrainTimedOut(ILogger logger, int count);
}
