using System.Buffers.Text;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace Realtime;

/// <summary>
/// One SSE stream: opens <c>/api/realtime</c>, subscribes, then records when each create (by its sequence number, read
/// from the title <c>sN</c>) arrives and whether the event ids ever go backwards.
/// </summary>
internal sealed class Subscriber(int creates)
{
    private static readonly byte[] FrameEnd = "\n\n"u8.ToArray();
    private static readonly byte[] TitleMark = "\"title\":\"s"u8.ToArray();
    private static readonly byte[] IdMark = "id:"u8.ToArray();

    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastId;
    private int _lastSequence = -1;

    /// <summary>Stopwatch timestamp of each create's arrival (0: not arrived), index = sequence (0 is the warm-up).</summary>
    public long[] Arrivals { get; } = new long[creates + 1];

    public int Received { get; private set; }

    public int OutOfOrder { get; private set; }

    public Task Subscribed => _subscribed.Task;

    /// <summary>
    /// Reads the stream over a plain socket: the generator shares the machine with the server, so it must cost as
    /// little as it can per event (no HTTP client, no chunk decoding: a frame is found by its blank line and its fields
    /// by their names, the chunk headers between frames are skipped over).
    /// </summary>
    public async Task RunAsync(Uri server, IPAddress? local, HttpClient api, string topic, string? token, CancellationToken cancellationToken)
    {
        try
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            if (local is not null)
            {
                socket.Bind(new IPEndPoint(local, 0));
            }

            await socket.ConnectAsync(server.Host, server.Port, cancellationToken);
            await socket.SendAsync(Encoding.ASCII.GetBytes($"GET /api/realtime HTTP/1.1\r\nHost: {server.Authority}\r\nAccept: text/event-stream\r\n\r\n"), SocketFlags.None, cancellationToken);
            var buffer = new byte[4096];
            var filled = 0;
            var connected = false;
            while (true)
            {
                if (filled == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancellationToken);
                if (read == 0)
                {
                    return;
                }

                filled += read;
                var start = 0;
                while (true)
                {
                    var end = buffer.AsSpan(start, filled - start).IndexOf(FrameEnd);
                    if (end < 0)
                    {
                        break;
                    }

                    var frameStart = start;
                    start += end + 2;
                    var id = buffer.AsSpan(frameStart, end).IndexOf(IdMark);
                    if (id < 0)
                    {
                        continue;
                    }

                    if (!connected)
                    {
                        connected = true;
                        await SubscribeAsync(api, ClientId(buffer.AsSpan(frameStart + id, end - id)), topic, token, cancellationToken);
                        continue;
                    }

                    Record(buffer.AsSpan(frameStart + id, end - id));
                }

                buffer.AsSpan(start, filled - start).CopyTo(buffer);
                filled -= start;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException or SocketException)
        {
            _subscribed.TrySetException(e);
        }
    }

    private async Task SubscribeAsync(HttpClient http, string clientId, string topic, string? token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/realtime")
        {
            Content = new StringContent($$"""{"clientId":"{{clientId}}","subscriptions":["{{topic}}"]}""", Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue(token);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        _subscribed.TrySetResult();
    }

    private static string ClientId(ReadOnlySpan<byte> frame)
    {
        var line = frame[IdMark.Length..];
        return Encoding.ASCII.GetString(line[..line.IndexOf((byte)'\n')]);
    }

    private void Record(ReadOnlySpan<byte> frame)
    {
        var now = Stopwatch.GetTimestamp();
        var title = frame.IndexOf(TitleMark);
        if (title < 0 || !Utf8Parser.TryParse(frame[(title + TitleMark.Length)..], out int sequence, out _) || sequence < 0 || sequence >= Arrivals.Length)
        {
            return;
        }

        // Basalt's event ids follow commit order; a server whose ids are the client id (PocketBase) is judged by the
        // order the creates were sent in, one every 100 ms.
        if (frame.StartsWith(IdMark) && Utf8Parser.TryParse(frame[IdMark.Length..], out long id, out var digits) && frame[IdMark.Length + digits] == (byte)'\n')
        {
            OutOfOrder += id <= _lastId ? 1 : 0;
            _lastId = id;
        }
        else
        {
            OutOfOrder += sequence < _lastSequence ? 1 : 0;
        }

        _lastSequence = sequence;

        if (Arrivals[sequence] == 0)
        {
            Arrivals[sequence] = now;
            Received++;
        }
    }
}
