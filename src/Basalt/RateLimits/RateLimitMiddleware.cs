using Basalt.Common;
using Basalt.Errors;
using Basalt.Http;
using Basalt.Model;
using Basalt.Settings;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Basalt.RateLimits;

/// <summary>
/// Applies <c>settings.rateLimits</c> (§1.6) after routing and the auth token: superusers and excluded client IPs pass,
/// otherwise the one enforced rule matching the labels of the route the request was dispatched to (and its audience)
/// counts it against the client IP (an IPv6 client's /64: one subscriber's block, whose 2^64 addresses would otherwise
/// each get the whole limit), and a request over the limit is refused with 429 before the route runs.
/// </summary>
internal sealed class RateLimitMiddleware(RequestDelegate next, SettingsService settings, ICollectionLookup collections, ClientIpResolver ips, IRateLimitStore store, ILogger<RateLimitMiddleware> logger)
{
    private RateLimitPlan? _plan;

    public async Task InvokeAsync(HttpContext context)
    {
        var current = await settings.GetAsync(context.RequestAborted);
        ips.NoticeProxyHeaders(context, current.TrustedProxy);
        var limits = current.RateLimits;
        var last = Volatile.Read(ref _plan);
        var plan = RateLimitPlan.For(limits, last);

        // Written only when the settings changed: a store on every request would bounce the field between cores.
        if (!ReferenceEquals(plan, last))
        {
            Volatile.Write(ref _plan, plan);
        }
        var auth = context.GetAuthRecord();
        if (plan.EnforcesAny && auth?.Collection.Name != SystemCollections.Superusers && plan.MayApply(context))
        {
            var labels = RateLimitLabels.For(context, collections);
            var rule = limits.FindRule(labels, auth is null ? RateLimitRule.Guest : RateLimitRule.Authenticated);
            if (rule is not null)
            {
                var ip = await ips.ResolveAsync(context);
                if (!IpRanges.Contains(limits.ExcludedIps, ip)
                    && !await store.TryAcquireAsync(rule.Label + "\n" + rule.Audience + "\n" + IpRanges.ClientKey(ip), rule.MaxRequests, TimeSpan.FromSeconds(rule.Duration), context.RequestAborted))
                {
                    BasaltMetrics.RateLimitRefusals.Add(1);
                    Log.RateLimitRefused(logger, context.Request.Method, context.Request.Path, ip, rule.Label, rule.MaxRequests, rule.Duration, rule.Audience.Length == 0 ? "anyone" : rule.Audience);
                    throw ApiError.TooManyRequests();
                }
            }
        }

        await next(context);
    }
}
