using System.IO.Pipelines;
using System.Text;

namespace Basalt.Realtime;

/// <summary>
/// One client's SSE body (§8.1): PB_CONNECT first, then whatever is sent to the client, written straight to the
/// connection (<see cref="RealtimeClient.Attach"/>). The stream lasts until the client is closed: by
/// <see cref="RealtimeSweeper"/> (idle or lifetime timeout, peer gone, host stopping) or as too slow. Nothing is
/// registered or awaited per connection but the client's completion: an idle stream costs its client and its
/// connection, no more.
/// </summary>
public static class SseStream
{
    /// <summary>Starts the stream; the returned task completes when the client is closed (then call <see cref="RealtimeClient.Detach"/>).</summary>
    public static Task RunAsync(PipeWriter body, RealtimeClient client)
    {
        client.Attach(body);
        return client.Completion;
    }

    /// <summary>The first frame of every connection.</summary>
    public static byte[] Connect(string clientId) =>
        Encoding.UTF8.GetBytes($"id:{clientId}\nevent:{RealtimeTopics.Connect}\ndata:{{\"clientId\":\"{clientId}\"}}\n\n");
}
