using Basalt.Query;

namespace Basalt.Realtime;

/// <summary>
/// The subscribers of one <see cref="EventAudience"/> whose answer to an event is the same: the same superuser-ness,
/// and the same auth wherever the rule, the filter or the payload reads it. Evaluated once, serialized once.
/// </summary>
internal sealed class EventGroup(EventAudience audience, RequestInfo request, string payloadClass)
{
    public EventAudience Audience { get; } = audience;

    /// <summary>What the rule and filter read as <c>@request.*</c>: the subscription's options and a member's auth.</summary>
    public RequestInfo Request { get; } = request;

    /// <summary>Groups with the same class, expand and fields (and options, where <see cref="ReadsRequest"/>) get the same bytes.</summary>
    public string PayloadClass { get; } = payloadClass;

    /// <summary>Whether the payload is made with <see cref="Request"/> (an expand, or an auth record's email for a non-superuser).</summary>
    public bool ReadsRequest => PayloadClass.StartsWith("a:", StringComparison.Ordinal);

    public List<RealtimeClient> Members { get; set; } = [];

    /// <summary>Whether the record is visible to the group; null until known (it needs a query).</summary>
    public bool? Visible { get; set; }

    public RealtimeSubscription Subscription => Audience.Subscription;

    /// <summary>An evaluation that needs a query, or a payload that needs an expand: what <see cref="SubscriberBudget"/> limits.</summary>
    public bool IsCostly => Visible is null || Subscription.Expand is not null;
}
