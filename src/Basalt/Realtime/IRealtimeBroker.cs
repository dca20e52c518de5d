namespace Basalt.Realtime;

/// <summary>
/// The publish seam between Basalt nodes. Publishers never touch connections: they hand a publication to the broker,
/// and every node's broker delivers it to that node's <see cref="RealtimeClientRegistry"/>. One node today
/// (<see cref="InProcessRealtimeBroker"/>); several nodes later over PostgreSQL LISTEN/NOTIFY, whose listener calls
/// <see cref="RealtimeClientRegistry.Deliver"/> on each node.
/// </summary>
public interface IRealtimeBroker
{
    /// <summary>Sends the publication to the matching clients of every node; returns once it is handed over, not delivered.</summary>
    ValueTask PublishAsync(RealtimePublication publication, CancellationToken cancellationToken);
}
