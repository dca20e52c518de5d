using System.Text.Json.Nodes;
using Basalt.Errors;

namespace Basalt.Settings;

/// <summary>
/// The <c>rateLimits</c> settings of §1.6. As in PocketBase, a new database has PocketBase's default rules with
/// <see cref="Enabled"/> false, so the general rules are not enforced; Basalt adds rules against brute force (sign-ins,
/// OTP, password-reset, verification and email-change requests), which are enforced whatever <see cref="Enabled"/> says
/// (see <see cref="RateLimitRule.GuardsAgainstBruteForce"/>) until they are removed from the list.
/// </summary>
public sealed record RateLimitSettings(bool Enabled, IReadOnlyList<string> ExcludedIps, IReadOnlyList<RateLimitRule> Rules)
{
    public const string Key = "rateLimits";

    public static readonly RateLimitSettings Default = new(
        false,
        [],
        [
            new("*:auth", RateLimitRule.Everyone, 3, 2),
            new("*:requestOTP", RateLimitRule.Everyone, 60, 5),
            new("*:requestPasswordReset", RateLimitRule.Everyone, 60, 5),
            new("*:requestVerification", RateLimitRule.Everyone, 60, 5),
            new("*:requestEmailChange", RateLimitRule.Everyone, 60, 5),
            new("*:create", RateLimitRule.Everyone, 5, 20),
            new("/api/batch", RateLimitRule.Everyone, 1, 3),
            new("/api/", RateLimitRule.Everyone, 10, 300),
        ]);

    /// <summary>Whether any rule applies at all: every rule while enabled, else only the brute-force guards.</summary>
    public bool EnforcesAny => Rules.Any(Enforces);

    /// <summary>Whether <paramref name="rule"/> is enforced: every rule while enabled, else only the brute-force guards.</summary>
    public bool Enforces(RateLimitRule rule) => Enabled || rule.GuardsAgainstBruteForce;

    public JsonObject ToJson() => new()
    {
        ["enabled"] = Enabled,
        ["excludedIPs"] = SettingsJson.ToArray(ExcludedIps),
        ["rules"] = new JsonArray([.. Rules.Select(r => (JsonNode)r.ToJson())]),
    };

    /// <summary>
    /// The one rule that applies to a request, given its labels from the most to the least specific (see
    /// <c>RateLimits.RateLimitLabels</c>), among the rules enforced (<see cref="EnforcesAny"/>): the first label with an exact rule wins, else the longest prefix rule
    /// matching a path label; at each step a rule for the request's own audience beats one for everyone.
    /// </summary>
    public RateLimitRule? FindRule(IReadOnlyList<string> labels, string audience)
    {
        foreach (var label in labels)
        {
            RateLimitRule? best = null;
            foreach (var rule in Rules)
            {
                if ((rule.Audience.Length > 0 && rule.Audience != audience) || !Enforces(rule))
                {
                    continue;
                }

                if (!rule.IsPrefix && rule.Label == label && (best is null || best.IsPrefix || best.Audience.Length == 0))
                {
                    best = rule;
                }
                else if (rule.IsPrefix && IsUnder(label, rule.Label) && Beats(rule, best))
                {
                    best = rule;
                }
            }

            if (best is not null)
            {
                return best;
            }
        }

        return null;
    }

    /// <summary>Whether <c>label + "/"</c> starts with <paramref name="prefix"/> (which ends with <c>/</c>), without building it.</summary>
    private static bool IsUnder(string label, string prefix) =>
        label.StartsWith(prefix, StringComparison.Ordinal)
        || (prefix.Length == label.Length + 1 && prefix.AsSpan(0, label.Length).SequenceEqual(label));

    internal static RateLimitSettings Read(JsonObject json, NestedErrors errors)
    {
        var o = SettingsJson.Section(json, Key, Key, errors);
        var rules = Default.Rules;
        if (o["rules"] is JsonArray array)
        {
            var read = new List<RateLimitRule>(array.Count);
            for (var i = 0; i < array.Count; i++)
            {
                if (RateLimitRule.Read(array[i], NestedErrors.Path("rateLimits.rules", i), errors) is { } rule)
                {
                    read.Add(rule);
                }
            }

            rules = read;
        }
        else if (o["rules"] is not null)
        {
            errors.Add("rateLimits.rules", "validation_invalid_type", "Must be an array of rules.");
        }

        return new(
            SettingsJson.Bool(o, "enabled", Default.Enabled, Key, errors),
            SettingsJson.Strings(o, "excludedIPs", Default.ExcludedIps, Key, errors),
            rules);
    }

    internal void Validate(NestedErrors errors)
    {
        if (Enabled && Rules.Count == 0)
        {
            errors.Add("rateLimits.rules", "validation_required", "Cannot be blank.");
        }

        SettingsRules.IpRanges(errors, "rateLimits.excludedIPs", ExcludedIps);
        var seen = new HashSet<(string, string)>();
        for (var i = 0; i < Rules.Count; i++)
        {
            var path = NestedErrors.Path("rateLimits.rules", i);
            Rules[i].Validate(path, errors);
            if (!seen.Add((Rules[i].Label, Rules[i].Audience)))
            {
                errors.Add(path + ".label", "validation_conflicting_rate_limit_rule", "A rule with this label and audience already exists.");
            }
        }
    }

    // An exact rule found earlier for the same label stays; among prefixes the longest wins, then the audience-specific one.
    private static bool Beats(RateLimitRule prefix, RateLimitRule? best) =>
        best is null
        || (best.IsPrefix && (prefix.Label.Length > best.Label.Length
            || (prefix.Label.Length == best.Label.Length && prefix.Audience.Length > 0 && best.Audience.Length == 0)));
}
