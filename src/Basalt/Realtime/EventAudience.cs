namespace Basalt.Realtime;

/// <summary>The clients that subscribed to a record event with one exact subscription string, and which rule decides for it.</summary>
/// <param name="ByListRule"><c>COLLECTION/*</c> and <c>COLLECTION</c> read the listRule; <c>COLLECTION/ID</c> the viewRule.</param>
public sealed record EventAudience(RealtimeSubscription Subscription, bool ByListRule, IEnumerable<RealtimeClient> Members);
