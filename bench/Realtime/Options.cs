using System.Globalization;

namespace Realtime;

/// <summary>
/// The load generator's command line: <c>--name value</c> pairs. <c>--sources N</c> spreads the streams over N loopback
/// addresses (127.0.0.10 and up), so a proxy that picks the realtime node by client address (docs/nginx-basalt.conf)
/// spreads them over its nodes.
/// </summary>
internal sealed record Options(
    Uri Url, string Email, string Password, int Subscribers, int Users, int OpenRate, int Creates, int IntervalMs, int ServerPid, string Label, int HoldSeconds, int WarmupEvents, int Sources)
{
    public static Options Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        string Get(string name, string fallback) => values.GetValueOrDefault(name, fallback);
        int Int(string name, int fallback) => int.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        return new Options(
            new Uri(Get("url", "http://127.0.0.1:8090")),
            Get("email", "bench@example.com"),
            Get("password", "bench-password-1"),
            Int("subscribers", 1000),
            Int("users", 0),
            Int("rate", 1000),
            Int("creates", 50),
            Int("interval", 100),
            Int("server-pid", 0),
            Get("label", "guests"),
            Int("hold", 0),
            Int("warmup", 0),
            Int("sources", 1));
    }
}
