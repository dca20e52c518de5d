using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Basalt.Client.Realtime;

/// <summary>The connection loop: open the stream, read its frames, reconnect with backoff until stopped.</summary>
public sealed partial class RealtimeService
{
    /// <summary>Blazor WebAssembly's switch for reading a response as it arrives (a no-op on other platforms).</summary>
    private static readonly HttpRequestOptionsKey<bool> BrowserStreaming = new("WebAssemblyEnableStreamingResponse");

    private async Task RunAsync(CancellationToken stop)
    {
        var delay = ReconnectDelay;
        var connectedBefore = false;
        while (!stop.IsCancellationRequested)
        {
            Exception? error = null;
            try
            {
                connectedBefore |= await ReadStreamAsync(connectedBefore, stop);
                delay = ReconnectDelay;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                error = e;
            }

            lock (_lock)
            {
                _clientId = "";
                _submittedVersion = -1;
                if (_ready.Task.IsCompleted)
                {
                    _ready = NewReady();
                }
                else if (error is not null)
                {
                    // Whoever waits to subscribe hears why; the loop keeps trying for the next ones.
                    _ready.TrySetException(error);
                    _ready = NewReady();
                }
            }

            Disconnected?.Invoke(this, new RealtimeDisconnectedEventArgs(error));
            try
            {
                await Task.Delay(delay, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxReconnectDelay.Ticks));
        }

        lock (_lock)
        {
            _clientId = "";
            _submittedVersion = -1;
            _ready.TrySetCanceled(stop);
            _ready = NewReady();
        }
    }

    /// <summary>One connection, from the GET to the end of its stream; true when it got as far as PB_CONNECT.</summary>
    private async Task<bool> ReadStreamAsync(bool isReconnect, CancellationToken stop)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _client.BuildUrl("api/realtime"));
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.CacheControl = new System.Net.Http.Headers.CacheControlHeaderValue { NoCache = true };
        request.Options.Set(BrowserStreaming, true);
        if (_lastEventId is { Length: > 0 } lastEventId)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        using var response = await _client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop);
        if (!response.IsSuccessStatusCode)
        {
            throw new ClientResponseException(request.RequestUri, (int)response.StatusCode, null, null);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(stop);
        var connected = false;
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(stop))
        {
            if (item.EventType == "PB_CONNECT")
            {
                await OnConnectAsync(item, isReconnect, stop);
                connected = true;
                continue;
            }

            if (item.EventId is { Length: > 0 } id && id != _clientId)
            {
                _lastEventId = id;
            }

            var message = new RealtimeMessage(item.EventType, item.EventId, Parse(item.Data));
            if (item.EventType == "PB_RESET")
            {
                Reset?.Invoke(this, new RealtimeResetEventArgs(JsonRead.String(message.Data?["lastEventId"]), item.EventId));
            }

            Dispatch(message);
        }

        return connected;
    }

    private async Task OnConnectAsync(SseItem<string> item, bool isReconnect, CancellationToken stop)
    {
        var clientId = JsonRead.String(Parse(item.Data)?["clientId"]) ?? item.EventId ?? "";
        lock (_lock)
        {
            _clientId = clientId;
            _submittedVersion = -1;
        }

        try
        {
            await SubmitAsync(stop);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
        {
            lock (_lock)
            {
                _ready.TrySetException(e);
                _ready = NewReady();
            }

            throw;
        }

        lock (_lock)
        {
            _ready.TrySetResult();
        }

        Connected?.Invoke(this, new RealtimeConnectedEventArgs(clientId, isReconnect));
        Dispatch(new RealtimeMessage(item.EventType, item.EventId, Parse(item.Data)));
    }

    private void Dispatch(RealtimeMessage message)
    {
        Listener[] listeners;
        lock (_lock)
        {
            listeners = _listeners.TryGetValue(message.Event, out var list) ? [.. list] : [];
        }

        foreach (var listener in listeners)
        {
            try
            {
                listener.Callback(message);
            }
            catch (Exception e)
            {
                ListenerError?.Invoke(this, new RealtimeListenerErrorEventArgs(message.Event, e));
            }
        }
    }

    private static JsonNode? Parse(string data)
    {
        try
        {
            return data.Length == 0 ? null : JsonNode.Parse(data);
        }
        catch (JsonException)
        {
            return JsonValue.Create(data);
        }
    }
}
