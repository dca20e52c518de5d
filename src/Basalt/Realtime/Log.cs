using Basalt.Common;
using Microsoft.Extensions.Logging;

namespace Basalt.Realtime;

/// <summary>The log messages of realtime fan-out.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = BasaltEventIds.RealtimeBudgetSpent, Level = LogLevel.Warning, Message = "Subscriber {Subscriber} spent its realtime budget on {Collection}/{RecordId}; its remaining subscriptions got no event")]
    public static partial void RealtimeBudgetSpent(ILogger logger, string subscriber, string collection, string recordId);

    [LoggerMessage(EventId = BasaltEventIds.RealtimeClientConnected, Level = LogLevel.Debug, Message = "Realtime client {ClientId} connected from {Ip} ({Connections} connected)")]
    public static partial void RealtimeClientConnected(ILogger logger, string clientId, string ip, int connections);

    [LoggerMessage(EventId = BasaltEventIds.RealtimeClientDisconnected, Level = LogLevel.Debug, Message = "Realtime client {ClientId} disconnected after {Duration} ({Connections} connected)")]
    public static partial void RealtimeClientDisconnected(ILogger logger, string clientId, TimeSpan duration, int connections);

    [LoggerMessage(EventId = BasaltEventIds.RealtimeClientTooSlow, Level = LogLevel.Warning, Message = "Realtime client {ClientId} from {Ip} fell {Capacity} events behind and was disconnected; the SDK reconnects and subscribes again")]
    public static partial void RealtimeClientTooSlow(ILogger logger, string clientId, string ip, int capacity);
}
