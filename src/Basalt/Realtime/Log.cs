using Basalt.Common;
using Microsoft.Extensions.Logging;

namespace Basalt.Realtime;

/// <summary>The log messages of realtime fan-out.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = BasaltEventIds.RealtimeBudgetSpent, Level = LogLevel.Warning, Message = "Subscriber {Subscriber} spent its realtime budget on {Collection}/{RecordId}; its remaining subscriptions got no event")]
    public static partial void RealtimeBudgetSpent(ILogger logger, string subscriber, string collection, string recordId);
}
