using System.Net;

namespace Basalt.Common;

/// <summary>Matching client IPs against settings lists of addresses and CIDR ranges (<c>superuserIPs</c>, <c>rateLimits.excludedIPs</c>).</summary>
public static class IpRanges
{
    public static bool IsValid(string entry) => TryParse(entry, out _, out _);

    /// <summary>Whether <paramref name="ip"/> equals an address of the list or falls in one of its ranges.</summary>
    public static bool Contains(IReadOnlyList<string> entries, string ip)
    {
        if (!TryParseAddress(ip, out var address))
        {
            return false;
        }

        foreach (var entry in entries)
        {
            if (TryParse(entry, out var single, out var network)
                && (single is not null ? single.Equals(address) : network.Contains(address)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Parses a literal IPv4 or IPv6 address only (not the shorthand forms such as <c>1</c> that
    /// <see cref="IPAddress.TryParse(string, out IPAddress)"/> also accepts); IPv4-mapped IPv6 becomes IPv4.
    /// </summary>
    public static bool TryParseAddress(string value, out IPAddress address)
    {
        address = IPAddress.None;
        var text = value.Trim();
        var looksLikeIp = text.Contains(':', StringComparison.Ordinal) || text.Count(c => c == '.') == 3;
        if (!looksLikeIp || !IPAddress.TryParse(text, out var parsed))
        {
            return false;
        }

        address = parsed.IsIPv4MappedToIPv6 ? parsed.MapToIPv4() : parsed;
        return true;
    }

    private static bool TryParse(string entry, out IPAddress? single, out IPNetwork network)
    {
        single = null;
        network = default;
        if (entry.Contains('/', StringComparison.Ordinal))
        {
            return IPNetwork.TryParse(entry.Trim(), out network);
        }

        if (TryParseAddress(entry, out var address))
        {
            single = address;
            return true;
        }

        return false;
    }
}
