using System.Globalization;
using System.Text.RegularExpressions;

namespace Baseline;

/// <summary>The one filter the benchmark sends (<c>n &gt;= X &amp;&amp; status = "S"</c>, sorted by <c>-n</c>), recognised by hand.</summary>
internal sealed partial record BenchFilter(double MinN, string Status)
{
    public static BenchFilter? Parse(string? filter, string? sort)
    {
        if (string.IsNullOrEmpty(filter))
        {
            return null;
        }

        var m = FilterPattern().Match(filter);
        if (!m.Success || sort != "-n")
        {
            throw new BadHttpRequestException("the baseline understands only the benchmark's filter and sort");
        }

        return new BenchFilter(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Groups[2].Value);
    }

    [GeneratedRegex("""^\(?n >= ([0-9.]+) && status = "(\w+)"\)?$""")]
    private static partial Regex FilterPattern();
}
