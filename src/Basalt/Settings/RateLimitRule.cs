using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Basalt.Errors;

namespace Basalt.Settings;

/// <summary>
/// One rate limit rule of §1.6: at most <see cref="MaxRequests"/> requests per client IP every <see cref="Duration"/>
/// seconds for the requests its <see cref="Label"/> names (<c>users:create</c>, <c>*:auth</c>, <c>POST /api/x</c>,
/// <c>/api/x</c> or the path prefix <c>/api/</c>), limited to an <see cref="Audience"/> (<c>""</c>, <c>@guest</c>, <c>@auth</c>).
/// </summary>
public sealed partial record RateLimitRule(string Label, string Audience, long Duration, int MaxRequests)
{
    public const string Everyone = "";
    public const string Guest = "@guest";
    public const string Authenticated = "@auth";

    // The tags of sign-ins and of the requests that send mail: what an attacker repeats to guess passwords and codes
    // or to flood inboxes (§1.6 tags; "auth" is carried by all three sign-ins).
    private static readonly string[] BruteForceTags =
        ["auth", "authWithPassword", "authWithOAuth2", "authWithOTP", "requestOTP", "requestPasswordReset", "requestVerification", "requestEmailChange"];

    /// <summary>Whether the label is a path prefix (ends with <c>/</c>) rather than an exact label.</summary>
    public bool IsPrefix => Label.EndsWith('/');

    /// <summary>
    /// Whether the rule guards against brute force (a <c>&lt;collection&gt;:&lt;tag&gt;</c> or <c>*:&lt;tag&gt;</c> label
    /// whose tag is a sign-in or a mail request); such a rule is enforced even while <c>rateLimits.enabled</c> is false.
    /// </summary>
    public bool GuardsAgainstBruteForce
    {
        get
        {
            if (!TryGetTag(out var tag))
            {
                return false;
            }

            foreach (var known in BruteForceTags)
            {
                if (tag.SequenceEqual(known))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>The tag of a <c>&lt;collection&gt;:&lt;tag&gt;</c> or <c>*:&lt;tag&gt;</c> label; null for a path label.</summary>
    public string? Tag => TryGetTag(out var tag) ? tag.ToString() : null;

    private bool TryGetTag(out ReadOnlySpan<char> tag)
    {
        var colon = Label.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || Label[0] == '/' || Label.Contains(' ', StringComparison.Ordinal))
        {
            tag = default;
            return false;
        }

        tag = Label.AsSpan(colon + 1);
        return true;
    }

    public JsonObject ToJson() => new()
    {
        ["label"] = Label,
        ["audience"] = Audience,
        ["duration"] = Duration,
        ["maxRequests"] = MaxRequests,
    };

    internal static RateLimitRule? Read(JsonNode? node, string path, NestedErrors errors)
    {
        if (node is not JsonObject o)
        {
            errors.Add(path, "validation_invalid_type", "Must be an object.");
            return null;
        }

        return new(
            SettingsJson.Text(o, "label", "", path, errors),
            SettingsJson.Text(o, "audience", Everyone, path, errors),
            SettingsJson.Long(o, "duration", 0, path, errors),
            SettingsJson.Int(o, "maxRequests", 0, path, errors));
    }

    internal void Validate(string path, NestedErrors errors)
    {
        if (Label.Length == 0)
        {
            errors.Add(path + ".label", "validation_required", "Cannot be blank.");
        }
        else if (Label.Length > 1000 || !LabelPattern().IsMatch(Label))
        {
            errors.Add(path + ".label", "validation_match_invalid", "Must be <collection>:<tag>, *:<tag>, METHOD /path, /path or a /path/ prefix.");
        }

        if (Audience is not (Everyone or Guest or Authenticated))
        {
            errors.Add(path + ".audience", "validation_in_invalid", "Must be \"\", \"@guest\" or \"@auth\".");
        }

        if (Duration < 1)
        {
            errors.Add(path + ".duration", "validation_min_greater_equal_than_required", "Must be no less than 1.");
        }

        if (MaxRequests < 1)
        {
            errors.Add(path + ".maxRequests", "validation_min_greater_equal_than_required", "Must be no less than 1.");
        }
    }

    [GeneratedRegex(@"^(?:(?:[\w]+|\*):\w+|(?:(?:GET|HEAD|POST|PUT|PATCH|DELETE) )?/\S*)$")]
    private static partial Regex LabelPattern();
}
