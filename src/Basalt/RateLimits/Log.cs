using Basalt.Common;
using Microsoft.Extensions.Logging;

namespace Basalt.RateLimits;

/// <summary>The log messages of the rate limits.</summary>
internal static partial class Log
{
    // Debug, not Information: a refusal is the limiter doing its job, the request log already keeps every 429 with the
    // client IP, and a client over its limit would otherwise write a server log line per request it sends. The counter
    // basalt_rate_limit_refusals_total is the thing to alert on.
    [LoggerMessage(BasaltEventIds.RateLimitRefused, LogLevel.Debug, "Refused {Method} {Path} from {Ip} with 429: over the rule {Label} ({MaxRequests} per {Duration} s, {Audience})")]
    public static partial void RateLimitRefused(ILogger logger, string method, string path, string ip, string label, int maxRequests, long duration, string audience);
}
