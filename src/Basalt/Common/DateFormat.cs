using System.Globalization;

namespace Basalt.Common;

/// <summary>PocketBase's date wire format: UTC, millisecond precision, a space between date and time.</summary>
public static class DateFormat
{
    public const string Layout = "yyyy-MM-dd HH:mm:ss.fff'Z'";

    private const int Length = 24;

    public static string Format(DateTimeOffset value) => Write(value.UtcDateTime);

    public static string Format(DateTime value) =>
        Write(value.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(value, DateTimeKind.Utc) : value.ToUniversalTime());

    /// <summary>
    /// <see cref="Layout"/> written digit by digit: every record write and every request log formats dates, and the
    /// general custom-format parser cost about 1 % of a view-by-id request's CPU on its own.
    /// </summary>
    private static string Write(DateTime utc) => string.Create(Length, utc, static (span, d) =>
    {
        Digits(span[..4], d.Year);
        span[4] = '-';
        Digits(span[5..7], d.Month);
        span[7] = '-';
        Digits(span[8..10], d.Day);
        span[10] = ' ';
        Digits(span[11..13], d.Hour);
        span[13] = ':';
        Digits(span[14..16], d.Minute);
        span[16] = ':';
        Digits(span[17..19], d.Second);
        span[19] = '.';
        Digits(span[20..23], d.Millisecond);
        span[23] = 'Z';
    });

    private static void Digits(Span<char> span, int value)
    {
        for (var i = span.Length - 1; i >= 0; i--)
        {
            span[i] = (char)('0' + (value % 10));
            value /= 10;
        }
    }

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
