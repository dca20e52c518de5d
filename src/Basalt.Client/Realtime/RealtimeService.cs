using System.Text.Json.Nodes;

namespace Basalt.Client.Realtime;

/// <summary>
/// The realtime connection of a <see cref="BasaltClient"/>, speaking the JS SDK's protocol: <c>GET /api/realtime</c>
/// opens an SSE stream, its <c>PB_CONNECT</c> frame names the client, and <c>POST /api/realtime</c> submits every
/// topic. The connection opens with the first subscription, reconnects by itself (200 ms, doubling to 2 s) and
/// resubmits the topics, and closes when the last subscription goes. It remembers the <c>id:</c> of the last event and
/// sends it as <c>Last-Event-ID</c> when it reconnects, so a server that resumes replays what was missed (or sends
/// <c>PB_RESET</c>, raised as <see cref="Reset"/>); servers that do not resume ignore the header.
/// </summary>
public sealed partial class RealtimeService : IAsyncDisposable
{
    private readonly BasaltClient _client;
    private readonly object _lock = new();
    private readonly Dictionary<string, List<Listener>> _listeners = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _submit = new(1, 1);
    private CancellationTokenSource? _stop;
    private Task? _loop;
    private TaskCompletionSource _ready = NewReady();
    private volatile string _clientId = "";
    private volatile string? _lastEventId;
    private long _version;
    private long _submittedVersion = -1;

    internal RealtimeService(BasaltClient client) => _client = client;

    /// <summary>Raised when a connection is open and its topics submitted.</summary>
    public event EventHandler<RealtimeConnectedEventArgs>? Connected;

    /// <summary>Raised when a connection ends; a reconnect follows unless no subscription is left.</summary>
    public event EventHandler<RealtimeDisconnectedEventArgs>? Disconnected;

    /// <summary>Raised on <c>PB_RESET</c>: the missed events could not be replayed, reload what the app shows.</summary>
    public event EventHandler<RealtimeResetEventArgs>? Reset;

    /// <summary>Raised when a subscription's callback throws.</summary>
    public event EventHandler<RealtimeListenerErrorEventArgs>? ListenerError;

    /// <summary>The server's id of the open connection, or empty.</summary>
    public string ClientId => _clientId;

    public bool IsConnected => _clientId.Length > 0;

    /// <summary>
    /// The <c>id:</c> of the last event received that was not the client id (a change-log id), sent as
    /// <c>Last-Event-ID</c> on reconnect. Set it before the first subscription to resume from a saved position (say,
    /// after the app restarts); it is cleared when the last subscription is removed.
    /// </summary>
    public string? LastEventId
    {
        get => _lastEventId;
        set => _lastEventId = value;
    }

    /// <summary>The first delay before a reconnect; it doubles after each failed attempt up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Subscribes <paramref name="callback"/> to <paramref name="topic"/> (<c>posts/*</c>, <c>posts/RECORD_ID</c>, or a
    /// custom topic) and returns once the server has the topic; events of writes that commit after that reach it.
    /// </summary>
    public async Task<RealtimeSubscription> SubscribeAsync(
        string topic, Action<RealtimeMessage> callback, SubscribeOptions? options = null, CancellationToken cancellationToken = default)
    {
        var key = options?.Apply(topic) ?? topic;
        var listener = new Listener(callback);
        lock (_lock)
        {
            if (!_listeners.TryGetValue(key, out var list))
            {
                _listeners[key] = list = [];
                _version++;
            }

            list.Add(listener);
            if (_loop is null)
            {
                _stop = new CancellationTokenSource();
                _loop = RunAsync(_stop.Token);
            }
        }

        try
        {
            await SubmittedAsync(cancellationToken);
        }
        catch
        {
            await RemoveAsync(key, listener, submit: false, CancellationToken.None);
            throw;
        }

        return new RealtimeSubscription(this, key, listener);
    }

    /// <summary>Removes every listener of <paramref name="topic"/> (with any options), or of every topic when null.</summary>
    public Task UnsubscribeAsync(string? topic = null, CancellationToken cancellationToken = default) =>
        RemoveWhereAsync(key => topic is null || key == topic || key.StartsWith(topic + "?", StringComparison.Ordinal), cancellationToken);

    /// <summary>Removes every listener of the topics that start with <paramref name="prefix"/>.</summary>
    public Task UnsubscribeByPrefixAsync(string prefix, CancellationToken cancellationToken = default) =>
        RemoveWhereAsync(key => key.StartsWith(prefix, StringComparison.Ordinal), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _submit.Dispose();
    }

    internal Task RemoveAsync(string key, object listener, CancellationToken cancellationToken) =>
        RemoveAsync(key, listener, submit: true, cancellationToken);

    private async Task RemoveAsync(string key, object listener, bool submit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_listeners.TryGetValue(key, out var list) && list.Remove((Listener)listener) && list.Count == 0)
            {
                _listeners.Remove(key);
                _version++;
            }
        }

        await AfterRemovalAsync(submit, cancellationToken);
    }

    private async Task RemoveWhereAsync(Func<string, bool> match, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            foreach (var key in _listeners.Keys.Where(match).ToList())
            {
                _listeners.Remove(key);
                _version++;
            }
        }

        await AfterRemovalAsync(true, cancellationToken);
    }

    /// <summary>Closes the connection when no topic is left, else tells the server the reduced list.</summary>
    private async Task AfterRemovalAsync(bool submit, CancellationToken cancellationToken)
    {
        bool empty;
        lock (_lock)
        {
            empty = _listeners.Count == 0;
        }

        if (empty)
        {
            _lastEventId = null;
            await StopAsync();
        }
        else if (submit && IsConnected)
        {
            await SubmitAsync(cancellationToken);
        }
    }

    /// <summary>Waits until a connection is open and the current topics are submitted on it.</summary>
    private async Task SubmittedAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task ready;
            lock (_lock)
            {
                ready = _ready.Task;
            }

            await ready.WaitAsync(cancellationToken);
            if (await SubmitAsync(cancellationToken))
            {
                return;
            }
        }
    }

    /// <summary>
    /// Posts the topics when they changed since the last post on this connection; false when there is no connection
    /// (the next one posts them). Posts are serialized so the server always ends with the latest list.
    /// </summary>
    private async Task<bool> SubmitAsync(CancellationToken cancellationToken)
    {
        await _submit.WaitAsync(cancellationToken);
        try
        {
            var clientId = _clientId;
            if (clientId.Length == 0)
            {
                return false;
            }

            long version;
            JsonArray topics;
            lock (_lock)
            {
                version = _version;
                if (version == _submittedVersion)
                {
                    return true;
                }

                topics = new JsonArray(_listeners.Keys.Select(k => (JsonNode)k).ToArray());
            }

            await _client.SendAsync(HttpMethod.Post, "api/realtime", new JsonObject { ["clientId"] = clientId, ["subscriptions"] = topics }, null, cancellationToken);
            lock (_lock)
            {
                _submittedVersion = version;
            }

            return true;
        }
        finally
        {
            _submit.Release();
        }
    }

    private async Task StopAsync()
    {
        Task? loop;
        CancellationTokenSource? stop;
        lock (_lock)
        {
            loop = _loop;
            stop = _stop;
            _loop = null;
            _stop = null;
        }

        if (stop is null)
        {
            return;
        }

        await stop.CancelAsync();
        if (loop is not null)
        {
            await loop;
        }

        stop.Dispose();
    }

    private static TaskCompletionSource NewReady() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class Listener(Action<RealtimeMessage> callback)
    {
        public Action<RealtimeMessage> Callback { get; } = callback;
    }
}
