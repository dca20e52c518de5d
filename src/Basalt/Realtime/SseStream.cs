using System.IO.Pipelines;
using System.Text;

namespace Basalt.Realtime;

/// <summary>
/// One client's SSE body (§8.1): PB_CONNECT first, then whatever is sent to the client, written straight to the
/// connection (<see cref="RealtimeClient.Attach"/>). The stream ends when the client is closed: by
/// <see cref="RealtimeSweeper"/> (idle or lifetime timeout), as too slow, or because <c>aborted</c> or <c>stopping</c>
/// fired (peer gone, host stopping).
/// </summary>
public static class SseStream
{
    public static async Task RunAsync(PipeWriter body, RealtimeClient client, CancellationToken aborted, CancellationToken stopping)
    {
        using var gone = aborted.Register(static c => ((RealtimeClient)c!).Close(), client);
        using var stop = stopping.Register(static c => ((RealtimeClient)c!).Close(), client);
        try
        {
            client.Attach(body);
            await client.Completion;
        }
        finally
        {
            client.Detach();
        }
    }

    /// <summary>The first frame of every connection.</summary>
    public static byte[] Connect(string clientId) =>
        Encoding.UTF8.GetBytes($"id:{clientId}\nevent:{RealtimeTopics.Connect}\ndata:{{\"clientId\":\"{clientId}\"}}\n\n");
}
