namespace Basalt.Dashboard;

/// <summary>One URL of the dashboard: its embedded bodies by content encoding, its type and how long a browser keeps it.</summary>
internal sealed record DashboardAsset(string ContentType, string CacheControl, string? Gzip, string? Brotli, string? Identity)
{
    /// <summary>A body rewritten when the engine starts (index.html), served from memory instead of the resources.</summary>
    public DashboardPage? Page { get; init; }
}
