using System.Net;
using System.Net.Sockets;
using Basalt.Common;
using Basalt.Settings;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Basalt.Http;

/// <summary>
/// The client IP of a request (§1.5 "Real IP"): what rate limits, login alerts, <c>superuserIPs</c> and realtime checks
/// key on. With <c>settings.trustedProxy.headers</c> set, the first of those headers that holds a valid IP decides:
/// its right-most valid IP (the one the nearest proxy appended, so a client cannot forge it), or its left-most with
/// <c>useLeftmostIP</c>. Otherwise, or when no header holds one, it is the connection's address.
/// It also notices a reverse proxy nobody told Basalt about (see <see cref="NoticeProxyHeaders"/>).
/// </summary>
public sealed class ClientIpResolver(SettingsService settings, ILogger<ClientIpResolver> logger)
{
    private const string ItemKey = "basalt.clientIp";

    /// <summary>The headers reverse proxies and CDNs write the client address into, in the order health reports them.</summary>
    private static readonly string[] ProxyHeaders = ["CF-Connecting-IP", "Fly-Client-IP", "True-Client-IP", "X-Real-IP", "X-Forwarded-For", "Forwarded"];

    private string? _ignoredProxyHeader;

    /// <summary>
    /// The first proxy header seen on a request from a loopback or private peer while no trusted proxy header was set
    /// (empty when none was): a sign that every client behind that proxy is being counted as the proxy itself.
    /// </summary>
    public string IgnoredProxyHeader => Volatile.Read(ref _ignoredProxyHeader) ?? "";

    /// <summary>The first of the known proxy headers that <paramref name="headers"/> carries, or null.</summary>
    public static string? ProxyHeaderOf(IHeaderDictionary headers) => ProxyHeaders.FirstOrDefault(headers.ContainsKey);

    /// <summary>
    /// Remembers, and logs once, a request that looks proxied (a proxy header from a loopback or private peer) while
    /// <paramref name="proxy"/> trusts no header. Cheap once noticed, so it can run on every request.
    /// </summary>
    public void NoticeProxyHeaders(HttpContext context, TrustedProxySettings proxy)
    {
        if (_ignoredProxyHeader is not null || proxy.Headers.Count > 0
            || ProxyHeaderOf(context.Request.Headers) is not { } header
            || context.Connection.RemoteIpAddress is not { } peer || !IsLoopbackOrPrivate(peer)
            || Interlocked.CompareExchange(ref _ignoredProxyHeader, header, null) is not null)
        {
            return;
        }

        Log.ProxyHeadersIgnored(logger, Remote(peer), header);
    }

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

    private static bool IsLoopbackOrPrivate(IPAddress address)
    {
        var ip = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        if (IPAddress.IsLoopback(ip) || ip.IsIPv6LinkLocal || ip.IsIPv6UniqueLocal)
        {
            return true;
        }

        if (ip.AddressFamily != AddressFamily.InterNetwork)
        {
            return false;
        }

        Span<byte> b = stackalloc byte[4];
        ip.TryWriteBytes(b, out _);
        return b[0] == 10 || (b[0] == 172 && (b[1] & 0xF0) == 16) || (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254)
            || (b[0] == 100 && (b[1] & 0xC0) == 64);
    }

    private static string Remote(IPAddress? address) =>
        address is null ? "" : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
}
