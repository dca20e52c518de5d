namespace Basalt.Realtime;

/// <summary>What became of a subscribe, on the node that holds the client; the endpoint maps each to its answer.</summary>
public enum SubscribeOutcome
{
    /// <summary>The subscriptions and the auth are set.</summary>
    Applied,

    /// <summary>No node holds the client (or the one that does could not be reached in time): 404.</summary>
    UnknownClient,

    /// <summary>The subscribe came from another IP than the stream: 400.</summary>
    IpMismatch,

    /// <summary>The client is bound to another auth: 403.</summary>
    AuthMismatch,

    /// <summary>Forwarded, then neither answered nor withdrawn (the database failed): it may still be applied, 503.</summary>
    Unavailable,
}
