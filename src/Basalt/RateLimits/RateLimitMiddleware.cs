using Basalt.Api;
using Basalt.Collections;
using Basalt.Settings;
using Microsoft.AspNetCore.Http;

namespace Basalt.RateLimits;

/// <summary>
/// Applies <c>settings.rateLimits</c> (§1.6) after the auth token is loaded: superusers and excluded client IPs pass,
/// otherwise the one rule matching the request's labels and audience counts it against the client IP, and a request
/// over the limit is refused with 429 before any route runs.
/// </summary>
internal sealed class RateLimitMiddleware(RequestDelegate next, SettingsService settings, ICollectionLookup collections, ClientIpResolver ips, IRateLimitStore store)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var limits = (await settings.GetAsync(context.RequestAborted)).RateLimits;
        var auth = context.GetAuthRecord();
        if (limits.Enabled && limits.Rules.Count > 0 && auth?.Collection.Name != SystemCollections.Superusers)
        {
            var labels = RateLimitLabels.For(context.Request.Method, context.Request.Path.Value ?? "/", collections);
            var rule = limits.FindRule(labels, auth is null ? RateLimitRule.Guest : RateLimitRule.Authenticated);
            if (rule is not null)
            {
                var ip = await ips.ResolveAsync(context);
                if (!IpRanges.Contains(limits.ExcludedIps, ip)
                    && !await store.TryAcquireAsync(rule.Label + "\n" + rule.Audience + "\n" + ip, rule.MaxRequests, TimeSpan.FromSeconds(rule.Duration), context.RequestAborted))
                {
                    throw ApiError.TooManyRequests();
                }
            }
        }

        await next(context);
    }
}
