using Basalt.Common;
using Microsoft.Extensions.Logging;

namespace Basalt.Http;

/// <summary>The log messages about client addresses (in the 1000 range of the HTTP pipeline).</summary>
internal static partial class Log
{
    [LoggerMessage(
        EventId = BasaltEventIds.ProxyHeadersIgnored,
        Level = LogLevel.Warning,
        Message = "Requests from {Peer} carry the proxy header {Header}, but settings.trustedProxy.headers is empty: every client behind that proxy counts as {Peer} for rate limits, login alerts and superuserIPs. Set trustedProxy.headers to the header your proxy writes.")]
    public static partial void ProxyHeadersIgnored(ILogger logger, string peer, string header);
}
