using System.Net;
using Basalt.Settings;
using Microsoft.AspNetCore.Http;

namespace Basalt.Api;

/// <summary>
/// The client IP of a request (§1.5 "Real IP"): what rate limits, login alerts, <c>superuserIPs</c> and realtime checks
/// key on. With <c>settings.trustedProxy.headers</c> set, the first of those headers that holds a valid IP decides:
/// its right-most valid IP (the one the nearest proxy appended, so a client cannot forge it), or its left-most with
/// <c>useLeftmostIP</c>. Otherwise, or when no header holds one, it is the connection's address.
/// </summary>
public sealed class ClientIpResolver(SettingsService settings)
{
    private const string ItemKey = "basalt.clientIp";

    public async ValueTask<string> ResolveAsync(HttpContext context)
    {
        if (context.Items.TryGetValue(ItemKey, out var known) && known is string ip)
        {
            return ip;
        }

        var proxy = (await settings.GetAsync(context.RequestAborted)).TrustedProxy;
        var resolved = FromHeaders(context.Request.Headers, proxy) ?? Remote(context.Connection.RemoteIpAddress);
        context.Items[ItemKey] = resolved;
        return resolved;
    }

    private static string? FromHeaders(IHeaderDictionary headers, TrustedProxySettings proxy)
    {
        foreach (var header in proxy.Headers)
        {
            var values = headers[header];
            if (values.Count == 0)
            {
                continue;
            }

            var parts = string.Join(',', values.AsEnumerable()).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var ordered = proxy.UseLeftmostIp ? parts : parts.Reverse();
            foreach (var part in ordered)
            {
                if (IpRanges.TryParseAddress(part, out var address))
                {
                    return address.ToString();
                }
            }
        }

        return null;
    }

    private static string Remote(IPAddress? address) =>
        address is null ? "" : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
}
