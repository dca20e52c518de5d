using System.Globalization;

namespace Basalt.Realtime;

/// <summary>
/// Where a client resumes: the SSE <c>Last-Event-ID</c> header, or a <c>lastEventId</c> query parameter for clients
/// that cannot set headers. Only a change-log id counts; anything else (such as the client id PB_CONNECT carries, which
/// a browser's EventSource sends back when no record event came) means "no resume".
/// </summary>
public static class RealtimeResume
{
    public const string Header = "Last-Event-ID";
    public const string QueryParameter = "lastEventId";

    public static long? Parse(string? header, string? query) => Id(header) ?? Id(query);

    private static long? Id(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
}
