using System.Text.RegularExpressions;
using Basalt.Errors;

namespace Basalt.Settings;

/// <summary>The validation checks several settings sections share.</summary>
internal static partial class SettingsRules
{
    public static void Required(NestedErrors errors, string path, string value, int max)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(path, "validation_required", "Cannot be blank.");
        }
        else if (value.Length > max)
        {
            errors.Add(path, "validation_length_out_of_range", $"The length must be no more than {max}.");
        }
    }

    public static void Min(NestedErrors errors, string path, long value, long min)
    {
        if (value < min)
        {
            errors.Add(path, "validation_min_greater_equal_than_required", $"Must be no less than {min}.");
        }
    }

    public static void Max(NestedErrors errors, string path, long value, long max)
    {
        if (value > max)
        {
            errors.Add(path, "validation_max_less_equal_than_required", $"Must be no greater than {max}.");
        }
    }

    public static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    /// <summary>Every item must be an IP address or a CIDR range (<c>10.0.0.0/8</c>, <c>::1</c>).</summary>
    public static void IpRanges(NestedErrors errors, string path, IReadOnlyList<string> values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (!Common.IpRanges.IsValid(values[i]))
            {
                errors.Add(NestedErrors.Path(path, i), "validation_is_ip", "Must be a valid IP address or CIDR range.");
            }
        }
    }

    /// <summary>An HTTP header name: a token of visible ASCII without separators.</summary>
    public static bool IsHeaderName(string value) => HeaderName().IsMatch(value);

    [GeneratedRegex(@"^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,100}$")]
    private static partial Regex HeaderName();
}
