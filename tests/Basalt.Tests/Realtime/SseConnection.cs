using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Basalt.Tests.Realtime;

/// <summary>A test's end of <c>GET /api/realtime</c>: reads raw SSE frames off the live response stream.</summary>
internal sealed class SseConnection : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;
    private readonly StringBuilder _pending = new();

    private SseConnection(HttpResponseMessage response, Stream stream)
    {
        _response = response;
        _reader = new StreamReader(stream, Encoding.UTF8);
    }

    public HttpResponseMessage Response => _response;

    public string ClientId { get; private set; } = "";

    /// <summary>The PB_CONNECT frame exactly as received.</summary>
    public string ConnectFrame { get; private set; } = "";

    /// <summary>Opens a stream; with <paramref name="lastEventId"/> it asks to resume after that id, as an EventSource's reconnect does.</summary>
    public static async Task<SseConnection> OpenAsync(HttpClient client, string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/realtime");
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var connection = new SseConnection(response, await response.Content.ReadAsStreamAsync());
        var first = await connection.ReadAsync() ?? throw new InvalidOperationException("the stream ended before PB_CONNECT");
        connection.ConnectFrame = first.Raw;
        connection.ClientId = first.Id;
        return connection;
    }

    /// <summary>A client whose connections leave from another loopback address, so the server sees another IP.</summary>
    public static HttpClient FromAddress(Uri baseAddress, IPAddress local) =>
        new(new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(local, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        })
        { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>The next frame, or null when the server ended the stream; fails after <paramref name="timeout"/> (10 s by default).</summary>
    public async Task<SseFrame?> ReadAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var buffer = new char[1024];
        while (true)
        {
            var text = _pending.ToString();
            var end = text.IndexOf("\n\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                _pending.Remove(0, end + 2);
                return SseFrame.Parse(text[..(end + 2)]);
            }

            var read = await _reader.ReadAsync(buffer.AsMemory(), deadline.Token);
            if (read == 0)
            {
                return null;
            }

            _pending.Append(buffer, 0, read);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        await Task.CompletedTask;
    }
}
