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

    [LoggerMessage(EventId = BasaltEventIds.ChangeLogPruned, Level = LogLevel.Debug, Message = "Pruned {Count} change-log entries past the realtime retention")]
    public static partial void ChangeLogPruned(ILogger logger, int count);

    [LoggerMessage(EventId = BasaltEventIds.ChangeLogPruneFailed, Level = LogLevel.Warning, Message = "Pruning the change log failed; it is tried again")]
    public static partial void ChangeLogPruneFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = BasaltEventIds.RealtimeDispatchFailed, Level = LogLevel.Error, Message = "Realtime could not fan out the change log at entry {EntryId}")]
    public static partial void RealtimeDispatchFailed(ILogger logger, long entryId, Exception exception);

    [LoggerMessage(EventId = BasaltEventIds.RealtimeReplayFailed, Level = LogLevel.Warning, Message = "Realtime client {ClientId} could not be sent the events after {LastEventId}; it was disconnected")]
    public static partial void RealtimeReplayFailed(ILogger logger, string clientId, long lastEventId, Exception exception);

    [LoggerMessage(EventId = BasaltEventIds.RealtimeResumeTooOld, Level = LogLevel.Information, Message = "Realtime client {ClientId} resumed after {LastEventId}, which the change log no longer holds (pruned through {PrunedThrough}); it was sent " + RealtimeTopics.Reset)]
    public static partial void RealtimeResumeTooOld(ILogger logger, string clientId, long lastEventId, long prunedThrough);

    [LoggerMessage(EventId = BasaltEventIds.RealtimeClusterStateFailed, Level = LogLevel.Warning, Message = "Realtime across nodes: {Step} failed; a subscribe for this node's clients through another node may be answered 404 until it works again")]
    public static partial void RealtimeClusterStateFailed(ILogger logger, string step, Exception exception);

    [LoggerMessage(EventId = BasaltEventIds.RealtimeAnsweredWritesFailed, Level = LogLevel.Warning, Message = "Realtime could not read which change-log entries after {Settled} had committed; subscriptions made meanwhile may be sent writes answered before them")]
    public static partial void RealtimeAnsweredWritesFailed(ILogger logger, long settled, Exception exception);
}
