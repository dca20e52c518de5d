namespace Basalt.Common;

/// <summary>
/// The event ids of Basalt's log messages, one numeric range per area so a log filter or an alert can name them:
/// 1000–1099 Api (the HTTP pipeline and client addresses).
/// </summary>
public static class BasaltEventIds
{
    /// <summary>Requests carry proxy headers from a loopback or private peer while no trusted proxy header is set.</summary>
    public const int ProxyHeadersIgnored = 1000;
}
