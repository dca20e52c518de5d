using System.Text.RegularExpressions;

namespace Basalt.Common;

/// <summary>The email shape check used by sign-in and superuser upsert: one @, a dotless-or-dotted domain, no spaces.</summary>
internal static partial class EmailAddress
{
    public const int MaxLength = 255;

    public static bool IsValid(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= MaxLength && Pattern().IsMatch(value);

    [GeneratedRegex(@"^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
