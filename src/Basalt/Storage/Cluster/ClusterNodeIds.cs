using Basalt.Common;

namespace Basalt.Storage.Cluster;

/// <summary>Node ids: the host name (what an operator recognizes) and a random part (two starts on one host differ).</summary>
internal static class ClusterNodeIds
{
    public static string New()
    {
        var host = new string([.. Environment.MachineName.Where(char.IsAsciiLetterOrDigit).Take(24)]);
        return (host.Length > 0 ? host : "node") + "-" + RandomText.Lowercase(8);
    }
}
