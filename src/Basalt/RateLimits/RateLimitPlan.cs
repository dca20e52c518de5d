using Basalt.Settings;
using Microsoft.AspNetCore.Http;

namespace Basalt.RateLimits;

/// <summary>
/// What the enforced rules of one <see cref="RateLimitSettings"/> can match, worked out once per settings rather than
/// per request: by default only the brute-force guards are enforced, all of them tag labels (<c>*:auth</c>, …), so a
/// request whose route carries none of their tags (every read and write of records) needs no labels at all.
/// </summary>
internal sealed class RateLimitPlan
{
    private readonly HashSet<string>? _tags;

    private RateLimitPlan(RateLimitSettings settings)
    {
        Settings = settings;
        var enforced = settings.Rules.Where(settings.Enforces).ToList();
        EnforcesAny = enforced.Count > 0;
        if (enforced.All(r => r.Tag is not null))
        {
            _tags = [.. enforced.Select(r => r.Tag!)];
        }
    }

    /// <summary>The settings this plan was made from (compared by reference: settings are replaced, never changed).</summary>
    public RateLimitSettings Settings { get; }

    /// <summary>Whether any rule is enforced at all (<see cref="RateLimitSettings.EnforcesAny"/>).</summary>
    public bool EnforcesAny { get; }

    /// <summary>The plan of <paramref name="settings"/>: <paramref name="last"/> when it was made from them.</summary>
    public static RateLimitPlan For(RateLimitSettings settings, RateLimitPlan? last) =>
        ReferenceEquals(last?.Settings, settings) ? last : new RateLimitPlan(settings);

    /// <summary>
    /// False only when no enforced rule can apply to the request: every one names a tag and the request's route carries
    /// none of them. True otherwise, and the labels decide (<see cref="RateLimitSettings.FindRule"/>).
    /// </summary>
    public bool MayApply(HttpContext context)
    {
        if (_tags is null || RateLimitLabels.TagsOf(context) is not { } tags)
        {
            return true;
        }

        foreach (var tag in tags)
        {
            if (_tags.Contains(tag))
            {
                return true;
            }
        }

        return false;
    }
}
