namespace Basalt.Storage.Cluster;

/// <summary>What a signal between nodes is about; each is one PostgreSQL <c>LISTEN</c> channel.</summary>
public enum ClusterChannel
{
    /// <summary>A node committed change-log entries; the payload is the newest id (a position, never the record).</summary>
    Changes,

    /// <summary>A cached piece of persisted state changed (<c>collections</c>, <c>settings</c>); the payload names it.</summary>
    Caches,

    /// <summary>A realtime message that is not a record event (the OAuth2 popup's <c>@oauth2</c>), as JSON.</summary>
    Realtime,

    /// <summary>A subscribe for a client the named node holds waits in <c>_realtimeSubscribes</c>; payload: node id and subscribe id.</summary>
    Subscribe,

    /// <summary>A node applied (or refused) a subscribe another node forwarded; payload: subscribe id and outcome.</summary>
    Subscribed,

    /// <summary>
    /// Never sent: raised on this node when signals may have been missed (the listening connection was re-opened) and
    /// at least every <see cref="IClusterBus.SafetyInterval"/>, so each follower checks its state against the database.
    /// </summary>
    Resync,
}
