using Basalt.Common;
using Microsoft.Extensions.Logging;

namespace Basalt.Observability;

/// <summary>The log messages of the node's own health (its heartbeat among the nodes of one PostgreSQL).</summary>
internal static partial class Log
{
    [LoggerMessage(BasaltEventIds.ClusterHeartbeatFailed, LogLevel.Error, "Could not reach the database for the node's heartbeat; /api/health answers 503 until it can")]
    public static partial void ClusterHeartbeatFailed(ILogger logger, Exception exception);
}
