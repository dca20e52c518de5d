using System.Globalization;

namespace Basalt.Dashboard.Services;

/// <summary>
/// Record dates are UTC text (<c>2024-01-02 03:04:05.678Z</c>); the dashboard shows and edits them in the browser's time
/// zone, which the runtime's time zone support reads.
/// </summary>
public static class Dates
{
    private const string Server = "yyyy-MM-dd HH:mm:ss.fffZ";

    public static DateTimeOffset? Parse(string text) =>
        DateTimeOffset.TryParse(text.Replace(' ', 'T'), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value : null;

    /// <summary>The server's text as local time for display: <c>2024-01-02 04:04:05</c>.</summary>
    public static string Local(string text) =>
        Parse(text) is { } value ? TimeZoneInfo.ConvertTime(value, TimeZoneInfo.Local).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : text;

    /// <summary>The value of an <c>&lt;input type="datetime-local"&gt;</c> for the server's text.</summary>
    public static string ToInput(string text) =>
        Parse(text) is { } value ? TimeZoneInfo.ConvertTime(value, TimeZoneInfo.Local).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture) : "";

    /// <summary>The server's UTC text for what the user typed in local time; empty stays empty.</summary>
    public static string FromInput(string? input)
    {
        if (string.IsNullOrWhiteSpace(input) ||
            !DateTime.TryParse(input, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return "";
        }

        var utc = TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), TimeZoneInfo.Local);
        return utc.ToString(Server, CultureInfo.InvariantCulture);
    }
}
