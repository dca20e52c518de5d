using System.Text;

namespace Basalt.Realtime;

/// <summary>
/// Writes one client's queue to an SSE body (§8.1): frames are exactly <c>id:&lt;clientId&gt;\nevent:&lt;name&gt;\ndata:&lt;json&gt;\n\n</c>,
/// each flushed. The stream ends after <see cref="RealtimeTimeouts.Idle"/> without a message sent, after
/// <see cref="RealtimeTimeouts.MaxLifetime"/>, when the client is closed, or when <c>stopping</c> fires.
/// </summary>
public static class SseStream
{
    public static async Task RunAsync(Stream body, RealtimeClient client, RealtimeTimeouts timeouts, TimeProvider time, CancellationToken stopping)
    {
        using var lifetime = new CancellationTokenSource(timeouts.MaxLifetime, time);
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(lifetime.Token, client.Closed, stopping);
        try
        {
            await WriteFrameAsync(body, client.Id, new RealtimeMessage(RealtimeTopics.Connect, $$"""{"clientId":"{{client.Id}}"}"""), ended.Token);
            while (true)
            {
                // A fresh idle window after every message sent, as PocketBase resets its idle timer on send.
                using var idle = new CancellationTokenSource(timeouts.Idle, time);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(idle.Token, ended.Token);
                var message = await client.Reader.ReadAsync(wait.Token);
                await WriteFrameAsync(body, client.Id, message, ended.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or System.Threading.Channels.ChannelClosedException or IOException)
        {
            // timed out, closed, stopping, or the peer went away: each simply ends the stream
        }
    }

    /// <summary>The bytes of one frame.</summary>
    public static byte[] Frame(string clientId, RealtimeMessage message) =>
        Encoding.UTF8.GetBytes($"id:{clientId}\nevent:{message.Name}\ndata:{message.Data}\n\n");

    private static async Task WriteFrameAsync(Stream body, string clientId, RealtimeMessage message, CancellationToken cancellationToken)
    {
        await body.WriteAsync(Frame(clientId, message), cancellationToken);
        await body.FlushAsync(cancellationToken);
    }
}
