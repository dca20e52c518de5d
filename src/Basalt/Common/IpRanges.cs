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
    /// What per-client limits count a client by: an IPv4 address is a client of its own, an IPv6 address counts as its
    /// /64 network (<c>2001:db8:1:2::/64</c>), the block one subscriber or host is usually given, so a client cannot
    /// multiply its share by walking the low 64 bits. IPv4-mapped IPv6 counts as IPv4; anything else is kept as given.
    /// </summary>
    public static string ClientKey(string ip)
    {
        if (!ip.Contains(':', StringComparison.Ordinal) || !TryParseAddress(ip, out var address))
        {
            return ip;
        }

        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return $"{new IPAddress(bytes)}/64";
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
