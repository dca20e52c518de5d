using System.Globalization;

namespace Basalt.Common;

/// <summary>PocketBase's date wire format: UTC, millisecond precision, a space between date and time.</summary>
public static class DateFormat
{
    public const string Layout = "yyyy-MM-dd HH:mm:ss.fff'Z'";

    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString(Layout, CultureInfo.InvariantCulture);

    public static string Format(DateTime value) =>
        (value.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(value, DateTimeKind.Utc) : value.ToUniversalTime())
            .ToString(Layout, CultureInfo.InvariantCulture);

    /// <summary>Accepts the many layouts clients send (ISO 8601, with or without T, zone or fraction) and normalises to UTC.</summary>
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        if (s.Length > 10 && s[10] == ' ')
        {
            s = string.Concat(s.AsSpan(0, 10), "T", s.AsSpan(11));
        }

        return DateTimeOffset.TryParse(
            s,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out value);
    }
}
