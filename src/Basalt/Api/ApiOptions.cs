namespace Basalt.Api;

/// <summary>
/// What the HTTP layer needs from the host's options (see <c>Hosting/BasaltOptions.cs</c> for each one's meaning), copied
/// from them once; read through <c>IOptions</c> on each use, so a change to this instance applies to the next request.
/// </summary>
public sealed class ApiOptions
{
    /// <summary>Largest request body accepted, in bytes.</summary>
    public long MaxBodySize { get; set; }

    /// <summary>How many record reads one client (an IP, or an IPv6 /64) may run at once.</summary>
    public int MaxConcurrentReadsPerClient { get; set; }

    /// <summary>How many record reads all non-superusers together may run at once.</summary>
    public int MaxConcurrentClientReads { get; set; }

    /// <summary>The longest a read may run, and so the longest a read waits for a turn.</summary>
    public TimeSpan ReadTimeout { get; set; }

    /// <summary>A realtime connection closes after this long without a message sent.</summary>
    public TimeSpan RealtimeIdleTimeout { get; set; }

    /// <summary>A realtime connection closes after this long in any case.</summary>
    public TimeSpan RealtimeMaxLifetime { get; set; }

    /// <summary>Whether non-superusers may read <c>/api/openapi.json</c> (the document of what they may call).</summary>
    public bool PublicOpenApi { get; set; }

    /// <summary>The longest an SQL console statement may run.</summary>
    public TimeSpan SqlTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest body of a records import, in bytes.</summary>
    public long ImportMaxBodySize { get; set; } = 50L << 20;

    /// <summary>Most rows one records import may hold.</summary>
    public int ImportMaxRows { get; set; } = 100_000;

    /// <summary>
    /// Events a realtime connection may lag behind before it is dropped as too slow (not a host option: the default
    /// suits every deployment, and tests lower it to reach the limit quickly).
    /// </summary>
    public int RealtimeQueueCapacity { get; set; } = Realtime.RealtimeClient.DefaultQueueCapacity;
}
