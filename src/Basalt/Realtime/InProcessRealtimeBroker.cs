namespace Basalt.Realtime;

/// <summary>The single-node broker: a publication goes straight to this process's clients.</summary>
public sealed class InProcessRealtimeBroker(RealtimeClientRegistry registry) : IRealtimeBroker
{
    public ValueTask<bool> HasPeersAsync(CancellationToken cancellationToken) => ValueTask.FromResult(false);

    public ValueTask PublishAsync(RealtimePublication publication, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        registry.Deliver(publication);
        return ValueTask.CompletedTask;
    }

    public ValueTask ClientConnectedAsync(RealtimeClient client, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask ClientGoneAsync(RealtimeClient client) => ValueTask.CompletedTask;

    public ValueTask<SubscribeOutcome> ForwardSubscribeAsync(ForwardedSubscribe subscribe, CancellationToken cancellationToken) =>
        ValueTask.FromResult(SubscribeOutcome.UnknownClient);
}
