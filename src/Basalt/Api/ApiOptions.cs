namespace Basalt.Api;

/// <summary>What the HTTP layer needs from the host's options (see <c>Hosting/BasaltOptions.cs</c> for each one's meaning).</summary>
public sealed record ApiOptions
{
    /// <summary>Largest request body accepted, in bytes.</summary>
    public required long MaxBodySize { get; init; }

    /// <summary>How many record reads one client IP may run at once.</summary>
    public required int MaxConcurrentReadsPerClient { get; init; }

    /// <summary>The longest a read may run, and so the longest a read waits for a turn.</summary>
    public required TimeSpan ReadTimeout { get; init; }

    /// <summary>A realtime connection closes after this long without a message sent.</summary>
    public required TimeSpan RealtimeIdleTimeout { get; init; }

    /// <summary>A realtime connection closes after this long in any case.</summary>
    public required TimeSpan RealtimeMaxLifetime { get; init; }
}
