using System.Collections.Concurrent;
using Basalt.Model;

namespace Basalt.Realtime;

/// <summary>
/// This node's subscriptions by topic, then by exact subscription string, so an event finds its subscribers without
/// looking at every client. Changes are made under one lock; the fan-out reads concurrently (what it reads while a
/// client subscribes is either the old or the new list, and the dispatcher's turn orders that against events).
/// Clients subscribed with the same string share one parsed <see cref="RealtimeSubscription"/>.
/// </summary>
public sealed class SubscriptionIndex
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, SubscriptionGroup>> _byTopic = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>The groups subscribed to <paramref name="topic"/> (the part before <c>?</c>).</summary>
    public ICollection<SubscriptionGroup> Find(string topic) =>
        _byTopic.TryGetValue(topic, out var groups) ? groups.Values : [];

    /// <summary>
    /// Binds <paramref name="auth"/> and replaces the client's subscriptions (<see cref="RealtimeClient.TryBind"/>); false,
    /// and nothing changes, when the client is bound to another auth. A subscription the client did not have yet
    /// delivers the change-log entries <paramref name="live"/> admits; one it keeps goes on as before.
    /// </summary>
    public bool Subscribe(RealtimeClient client, Record? auth, IReadOnlyList<RealtimeSubscription> subscriptions, LiveStart live)
    {
        lock (_gate)
        {
            var shared = subscriptions.Select(s => Group(s.Topic, s.Raw)?.Subscription ?? s).ToList();
            var previous = client.Subscriptions;
            if (!client.TryBind(auth, shared))
            {
                return false;
            }

            var kept = new Dictionary<string, LiveStart>(StringComparer.Ordinal);
            foreach (var subscription in previous)
            {
                if (Group(subscription.Topic, subscription.Raw)?.Members.TryGetValue(client, out var from) == true)
                {
                    kept[subscription.Raw] = from;
                }
            }

            Leave(client, previous);
            if (client.IsClosed)
            {
                return true;
            }

            foreach (var subscription in shared)
            {
                var groups = _byTopic.GetOrAdd(subscription.Topic, static _ => new(StringComparer.Ordinal));
                var group = groups.GetOrAdd(subscription.Raw, _ => new SubscriptionGroup(subscription));
                group.Members[client] = kept.TryGetValue(subscription.Raw, out var from) ? from : live;
            }

            return true;
        }
    }

    /// <summary>Takes a client that went away out of every group.</summary>
    public void Remove(RealtimeClient client)
    {
        lock (_gate)
        {
            Leave(client, client.Subscriptions);
        }
    }

    private SubscriptionGroup? Group(string topic, string raw) =>
        _byTopic.TryGetValue(topic, out var groups) && groups.TryGetValue(raw, out var group) ? group : null;

    private void Leave(RealtimeClient client, IReadOnlyList<RealtimeSubscription> subscriptions)
    {
        foreach (var subscription in subscriptions)
        {
            if (!_byTopic.TryGetValue(subscription.Topic, out var groups) || !groups.TryGetValue(subscription.Raw, out var group))
            {
                continue;
            }

            group.Members.TryRemove(client, out _);
            if (group.Members.IsEmpty)
            {
                groups.TryRemove(subscription.Raw, out _);
                if (groups.IsEmpty)
                {
                    _byTopic.TryRemove(subscription.Topic, out _);
                }
            }
        }
    }
}
