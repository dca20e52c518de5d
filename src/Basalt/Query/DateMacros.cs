using Basalt.Common;

namespace Basalt.Query;

/// <summary>The <c>@now</c>-style identifiers: UTC datetimes in the wire format, or integer date parts.</summary>
internal static class DateMacros
{
    public static ResolvedOperand? Resolve(string name, DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        var today = utc.Date;
        var monthStart = new DateTime(utc.Year, utc.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        var yearStart = new DateTime(utc.Year, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var endOf = TimeSpan.FromMilliseconds(1);
        object? value = name switch
        {
            "@now" => DateFormat.Format(utc),
            "@yesterday" => DateFormat.Format(utc.AddDays(-1)),
            "@tomorrow" => DateFormat.Format(utc.AddDays(1)),
            "@todayStart" => DateFormat.Format(today),
            "@todayEnd" => DateFormat.Format(today.AddDays(1) - endOf),
            "@monthStart" => DateFormat.Format(monthStart),
            "@monthEnd" => DateFormat.Format(monthStart.AddMonths(1) - endOf),
            "@yearStart" => DateFormat.Format(yearStart),
            "@yearEnd" => DateFormat.Format(yearStart.AddYears(1) - endOf),
            "@second" => (double)utc.Second,
            "@minute" => (double)utc.Minute,
            "@hour" => (double)utc.Hour,
            "@day" => (double)utc.Day,
            "@month" => (double)utc.Month,
            "@year" => (double)utc.Year,
            "@weekday" => (double)(int)utc.DayOfWeek,
            _ => null,
        };
        return value is null ? null : ResolvedOperand.Static(value, value is double d ? ((int)d).ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
    }
}
