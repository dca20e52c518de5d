using Basalt.Common;
using Microsoft.Extensions.Logging;

namespace Basalt.Api;

/// <summary>The log messages of the HTTP pipeline.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = BasaltEventIds.ReadTookTooLong, Level = LogLevel.Warning, Message = "{Method} {Path} ran past the read deadline and was stopped (400)")]
    public static partial void ReadTookTooLong(ILogger logger, string method, string path);

    [LoggerMessage(EventId = BasaltEventIds.ReadTurnRefused, Level = LogLevel.Warning, Message = "Client {Ip} waited the read deadline for a read turn and was refused (429)")]
    public static partial void ReadTurnRefused(ILogger logger, string ip);
}
