namespace Basalt.Client.Realtime;

/// <summary>One listener of a topic; dispose it (or call <see cref="UnsubscribeAsync"/>) to stop receiving.</summary>
public sealed class RealtimeSubscription : IAsyncDisposable
{
    private readonly RealtimeService _service;
    private readonly object _listener;
    private int _removed;

    internal RealtimeSubscription(RealtimeService service, string topic, object listener)
    {
        _service = service;
        Topic = topic;
        _listener = listener;
    }

    /// <summary>The topic as submitted, options included (the SSE event name of its frames).</summary>
    public string Topic { get; }

    public Task UnsubscribeAsync(CancellationToken cancellationToken = default) =>
        Interlocked.Exchange(ref _removed, 1) == 0 ? _service.RemoveAsync(Topic, _listener, cancellationToken) : Task.CompletedTask;

    public async ValueTask DisposeAsync() => await UnsubscribeAsync();
}
