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

    /// <summary>
    /// Never sent: raised on this node when signals may have been missed (the listening connection was re-opened) and
    /// at least every <see cref="IClusterBus.SafetyInterval"/>, so each follower checks its state against the database.
    /// </summary>
    Resync,
}
