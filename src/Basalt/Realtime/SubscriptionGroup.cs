using System.Collections.Concurrent;

namespace Basalt.Realtime;

/// <summary>
/// Every client subscribed with one exact subscription string: they share its parsed options, and an event for it is
/// one frame (same id, name and data) for all of them unless their auth makes the answer differ.
/// </summary>
public sealed class SubscriptionGroup(RealtimeSubscription subscription)
{
    public RealtimeSubscription Subscription { get; } = subscription;

    /// <summary>
    /// The subscribed clients, each with the change-log entries it receives through this subscription: a client that
    /// subscribes gets no event for a write that had committed before.
    /// </summary>
    public ConcurrentDictionary<RealtimeClient, LiveStart> Members { get; } = new();
}
