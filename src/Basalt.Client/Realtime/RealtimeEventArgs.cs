namespace Basalt.Client.Realtime;

/// <summary>A connection was opened (<see cref="IsReconnect"/> after a drop) and its subscriptions submitted.</summary>
public sealed class RealtimeConnectedEventArgs(string clientId, bool isReconnect) : EventArgs
{
    public string ClientId { get; } = clientId;

    public bool IsReconnect { get; } = isReconnect;
}

/// <summary>The connection ended; <see cref="Error"/> says why when it was not closed on purpose. The client reconnects by itself.</summary>
public sealed class RealtimeDisconnectedEventArgs(Exception? error) : EventArgs
{
    public Exception? Error { get; } = error;
}

/// <summary>
/// The server could not replay the events after <see cref="LastEventId"/> (too old, or not its id): reload what the app
/// shows; the events that follow are newer than <see cref="ResetEventId"/>.
/// </summary>
public sealed class RealtimeResetEventArgs(string? lastEventId, string? resetEventId) : EventArgs
{
    public string? LastEventId { get; } = lastEventId;

    public string? ResetEventId { get; } = resetEventId;
}

/// <summary>A subscription's callback threw; the connection goes on.</summary>
public sealed class RealtimeListenerErrorEventArgs(string topic, Exception error) : EventArgs
{
    public string Topic { get; } = topic;

    public Exception Error { get; } = error;
}
