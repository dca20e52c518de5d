using System.Globalization;
using Basalt.Common;

namespace Basalt.Tests.Common;

public sealed class DateFormatTests
{
    [Theory]
    [InlineData("0001-01-01T00:00:00.0000000Z")]
    [InlineData("0999-12-31T23:59:59.9990000Z")]
    [InlineData("2026-12-07T03:04:05.0060000Z")]
    [InlineData("2026-02-28T13:45:09.1239999Z")]
    [InlineData("9999-12-31T23:59:59.9999999Z")]
    public void Writes_what_the_framework_writes_for_the_layout(string iso)
    {
        var value = DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
        var expected = value.UtcDateTime.ToString(DateFormat.Layout, CultureInfo.InvariantCulture);
        Assert.Equal(expected, DateFormat.Format(value));
        Assert.Equal(expected, DateFormat.Format(value.UtcDateTime));
    }

    [Fact]
    public void Converts_to_utc_first()
    {
        var local = new DateTimeOffset(2026, 12, 7, 5, 30, 0, 250, TimeSpan.FromHours(2));
        Assert.Equal("2026-12-07 03:30:00.250Z", DateFormat.Format(local));
        Assert.Equal("2026-12-07 03:30:00.250Z", DateFormat.Format(new DateTime(2026, 12, 7, 3, 30, 0, 250, DateTimeKind.Unspecified)));
    }
}
