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
}
