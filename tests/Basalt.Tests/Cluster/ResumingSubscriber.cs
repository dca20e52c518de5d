using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Basalt.Tests.Realtime;

namespace Basalt.Tests.Cluster;

/// <summary>
/// A realtime client as an app runs one behind nginx: PocketBase's protocol over a streaming <see cref="HttpClient"/>
/// (<c>GET /api/realtime</c>, PB_CONNECT, then <c>POST /api/realtime</c> with its client id and subscription), from a
/// loopback address of its own. When its stream ends or breaks it connects
/// again with <c>Last-Event-ID</c>, the id of the last event it got, until it receives the record titled
/// <see cref="Marker"/>.
/// </summary>
internal sealed class ResumingSubscriber(Uri proxy, IPAddress address, string topic) : IDisposable
{
    public const string Marker = "marker";

    private readonly HttpClient _http = SseConnection.FromAddress(proxy, address);
    private readonly List<(long Id, string RecordId)> _events = [];
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IPAddress Address => address;

    /// <summary>The client id of its current stream.</summary>
    public string ClientId { get; private set; } = "";

    /// <summary>How many times it connected again after its first stream.</summary>
    public int Reconnects { get; private set; }

    /// <summary>Frames that were not record events of the subscription (a PB_RESET, say): none is expected.</summary>
    public List<string> Unexpected { get; } = [];

    /// <summary>Completes once the first subscribe was answered.</summary>
    public Task Subscribed => _subscribed.Task;

    /// <summary>The events received so far (change-log id and record id), in the order they arrived.</summary>
    public List<(long Id, string RecordId)> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Connects, subscribes and reads, again after each broken stream, until the marker record arrives.</summary>
    public async Task RunAsync(DateTime deadline)
    {
        string? lastEventId = null;
        for (var attempt = 0; ; attempt++)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{address}: no marker before the deadline, {Events.Count} events, {Reconnects} reconnects");
            if (attempt > 0)
            {
                // Backs off as a browser's EventSource does before it reconnects.
                await Task.Delay(100);
            }

            SseConnection sse;
            try
            {
                sse = await SseConnection.OpenAsync(_http, lastEventId);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException)
            {
                continue;
            }

            await using (sse)
            {
                if (attempt > 0)
                {
                    Reconnects++;
                }

                ClientId = sse.ClientId;
                try
                {
                    var (status, _) = await RealtimeTests.Subscribe(_http, sse.ClientId, topic);
                    if (status != HttpStatusCode.NoContent)
                    {
                        continue;
                    }

                    _subscribed.TrySetResult();
                    while (await sse.ReadAsync(TimeSpan.FromMinutes(2)) is { } frame)
                    {
                        if (frame.Event != topic)
                        {
                            Unexpected.Add(frame.Raw);
                            continue;
                        }

                        var record = JsonNode.Parse(frame.Data)!["record"]!;
                        if (record["title"]?.GetValue<string>() == Marker)
                        {
                            return;
                        }

                        lock (_events)
                        {
                            _events.Add((long.Parse(frame.Id, CultureInfo.InvariantCulture), record["id"]!.GetValue<string>()));
                        }

                        lastEventId = frame.Id;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or IOException)
                {
                    // The node behind the stream died: connect again, through nginx, to another.
                }
            }
        }
    }

    public void Dispose() => _http.Dispose();
}
