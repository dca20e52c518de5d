using System.Text;

namespace Basalt.Realtime;

/// <summary>
/// Writes one client's queue to an SSE body (§8.1), PB_CONNECT first. Frames that are already queued are written
/// together and flushed once. The stream ends after <see cref="RealtimeTimeouts.Idle"/> without a frame sent, after
/// <see cref="RealtimeTimeouts.MaxLifetime"/>, when the client is closed, or when <c>stopping</c> fires.
/// </summary>
public static class SseStream
{
    public static async Task RunAsync(Stream body, RealtimeClient client, RealtimeTimeouts timeouts, TimeProvider time, CancellationToken stopping)
    {
        using var lifetime = new CancellationTokenSource(timeouts.MaxLifetime, time);
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(lifetime.Token, client.Closed, stopping);
        using var idle = new CancellationTokenSource(timeouts.Idle, time);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(idle.Token, ended.Token);
        try
        {
            await body.WriteAsync(Connect(client.Id), ended.Token);
            await body.FlushAsync(ended.Token);
            var reader = client.Reader;
            while (true)
            {
                var frame = await reader.ReadAsync(wait.Token);
                await body.WriteAsync(frame, ended.Token);
                while (reader.TryRead(out var next))
                {
                    await body.WriteAsync(next, ended.Token);
                }

                await body.FlushAsync(ended.Token);

                // A fresh idle window after every send, as PocketBase resets its idle timer on send.
                idle.CancelAfter(timeouts.Idle);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or System.Threading.Channels.ChannelClosedException or IOException)
        {
            // timed out, closed, stopping, or the peer went away: each simply ends the stream
        }
    }

    /// <summary>The first frame of every connection.</summary>
    public static byte[] Connect(string clientId) =>
        Encoding.UTF8.GetBytes($"id:{clientId}\nevent:{RealtimeTopics.Connect}\ndata:{{\"clientId\":\"{clientId}\"}}\n\n");
}
