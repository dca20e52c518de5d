namespace Basalt.Realtime;

/// <summary>The event and topic names the server itself uses (§8.1, §7.3).</summary>
public static class RealtimeTopics
{
    /// <summary>The first frame of every connection, carrying the client id.</summary>
    public const string Connect = "PB_CONNECT";

    /// <summary>The topic the SDK's all-in-one OAuth2 flow subscribes to; <c>/api/oauth2-redirect</c> sends the code on it.</summary>
    public const string OAuth2 = "@oauth2";

    /// <summary>
    /// Sent instead of the missed events to a client that resumes from an id the change log no longer keeps (or never
    /// had): it must reload what it shows. Basalt's own; a client listens for it by subscribing to it.
    /// </summary>
    public const string Reset = "PB_RESET";
}
