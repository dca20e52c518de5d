using Basalt.Common;
using Microsoft.Extensions.Logging;

namespace Basalt.Hosting;

/// <summary>The server's start and stop messages.</summary>
internal static partial class Log
{
    [LoggerMessage(BasaltEventIds.Started, LogLevel.Information, "Basalt is listening on {Addresses}: {Database} database {Location}, durability {Durability}, data folder {DataDir}")]
    public static partial void Started(ILogger logger, string addresses, string database, string location, string durability, string dataDir);

    [LoggerMessage(BasaltEventIds.Stopping, LogLevel.Information, "Basalt is stopping: requests in flight finish, queued request logs and emails are written, then the database closes")]
    public static partial void Stopping(ILogger logger);

    [LoggerMessage(BasaltEventIds.MetricsListening, LogLevel.Information, "Prometheus metrics are served at {Url} (and not on the API's address)")]
    public static partial void MetricsListening(ILogger logger, string url);
}
