namespace Basalt.Realtime;

/// <summary>
/// The publish seam between Basalt nodes. Publishers never touch connections: they hand a publication to the broker,
/// and every node's broker delivers it to that node's <see cref="RealtimeClientRegistry"/>. One node (<see cref="InProcessRealtimeBroker"/>), or several over PostgreSQL LISTEN/NOTIFY, whose listener calls
/// <see cref="RealtimeClientRegistry.Deliver"/> on each node (<see cref="ClusterRealtimeBroker"/>).
/// </summary>
public interface IRealtimeBroker
{
    /// <summary>True when other live nodes share the database, so a client this node does not know may be connected to one of them.</summary>
    ValueTask<bool> HasPeersAsync(CancellationToken cancellationToken);

    /// <summary>Sends the publication to the matching clients of every node; returns once it is handed over, not delivered.</summary>
    ValueTask PublishAsync(RealtimePublication publication, CancellationToken cancellationToken);

    /// <summary>Makes a client of this node known to the others, before its PB_CONNECT is sent (so a subscribe through any node finds it).</summary>
    ValueTask ClientConnectedAsync(RealtimeClient client, CancellationToken cancellationToken);

    /// <summary>Forgets a client of this node that is gone; never throws.</summary>
    ValueTask ClientGoneAsync(RealtimeClient client);

    /// <summary>
    /// Hands a subscribe for a client this node does not hold to the node that does and returns what it made of it,
    /// once it has applied it; <see cref="SubscribeOutcome.UnknownClient"/> when no live node holds it.
    /// </summary>
    ValueTask<SubscribeOutcome> ForwardSubscribeAsync(ForwardedSubscribe subscribe, CancellationToken cancellationToken);
}
