namespace Basalt.Storage.Cluster;

/// <summary>The names of the caches a <see cref="ClusterChannel.Caches"/> signal may name.</summary>
public static class ClusterCaches
{
    /// <summary>Every collection (schema, rules, auth options and token secrets), and what is derived from them.</summary>
    public const string Collections = "collections";

    /// <summary>The settings document (<c>_params</c> key <c>settings</c>).</summary>
    public const string Settings = "settings";
}
