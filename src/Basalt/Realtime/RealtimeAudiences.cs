using Basalt.Model;

namespace Basalt.Realtime;

/// <summary>Who subscribed to a record's events: by collection name or id, with <c>/*</c>, bare (legacy), or <c>/ID</c>.</summary>
internal static class RealtimeAudiences
{
    /// <summary>Every subscription group of this node that matches the record, with the members live at <paramref name="eventId"/>.</summary>
    public static List<EventAudience> Of(SubscriptionIndex index, Record record, long eventId)
    {
        var audiences = new List<EventAudience>();
        foreach (var (topic, byList) in Topics(record))
        {
            foreach (var group in index.Find(topic))
            {
                audiences.Add(new EventAudience(group.Subscription, byList, group.Members.Where(m => m.Value.Admits(eventId)).Select(static m => m.Key)));
            }
        }

        return audiences;
    }

    /// <summary>The subscriptions of one client that match the record (a replay answers for it alone).</summary>
    public static List<EventAudience> Of(RealtimeClient client, Record record)
    {
        var audiences = new List<EventAudience>();
        foreach (var (topic, byList) in Topics(record))
        {
            foreach (var subscription in client.Subscriptions)
            {
                if (subscription.Matches(topic))
                {
                    audiences.Add(new EventAudience(subscription, byList, [client]));
                }
            }
        }

        return audiences;
    }

    /// <summary>Whether one of <paramref name="topics"/> gets the events of record <paramref name="recordId"/> (checked before decoding it).</summary>
    public static bool Concern(IReadOnlySet<string> topics, Collection collection, string recordId) =>
        Topics(collection, recordId).Any(t => topics.Contains(t.Topic));

    private static IEnumerable<(string Topic, bool ByListRule)> Topics(Record record) => Topics(record.Collection, record.Id);

    /// <summary>Each topic once, even for a collection whose name is its id.</summary>
    private static IEnumerable<(string Topic, bool ByListRule)> Topics(Collection collection, string recordId)
    {
        string[] names = collection.Name == collection.Id ? [collection.Name] : [collection.Name, collection.Id];
        foreach (var name in names)
        {
            yield return (name + "/*", true);
            yield return (name, true);
            yield return (name + "/" + recordId, false);
        }
    }
}
