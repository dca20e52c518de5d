using System.Globalization;

namespace Basalt.Dashboard.Services;

/// <summary>The samples of a Prometheus text exposition: name, labels, value (comments and types are skipped).</summary>
public static class Prometheus
{
    public static List<Sample> Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var close = brace < 0 ? -1 : line.LastIndexOf('}');
            var name = brace < 0 ? line[..line.IndexOf(' ', StringComparison.Ordinal)] : line[..brace];
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            if (brace >= 0 && close > brace)
            {
                foreach (var pair in line[(brace + 1)..close].Split("\",", StringSplitOptions.RemoveEmptyEntries))
                {
                    var eq = pair.IndexOf('=', StringComparison.Ordinal);
                    if (eq > 0)
                    {
                        labels[pair[..eq].Trim()] = pair[(eq + 1)..].Trim().Trim('"');
                    }
                }
            }

            var rest = line[((close >= 0 ? close : name.Length) + 1)..].Trim().Split(' ')[0];
            if (double.TryParse(rest, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                samples.Add(new Sample(name, labels, value));
            }
        }

        return samples;
    }

    /// <summary>The <paramref name="quantile"/> of a histogram from its cumulative buckets (linear inside a bucket).</summary>
    public static double? Quantile(IEnumerable<Sample> buckets, double quantile)
    {
        var points = buckets
            .Select(b => (Le: b.Labels.TryGetValue("le", out var le) ? (le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture)) : double.NaN, b.Value))
            .Where(p => !double.IsNaN(p.Le))
            .GroupBy(p => p.Le).Select(g => (Le: g.Key, Count: g.Sum(p => p.Value))).OrderBy(p => p.Le).ToList();
        if (points.Count == 0 || points[^1].Count == 0)
        {
            return null;
        }

        var target = quantile * points[^1].Count;
        var (previousLe, previousCount) = (0.0, 0.0);
        foreach (var (le, count) in points)
        {
            if (count >= target)
            {
                return double.IsInfinity(le) ? previousLe : previousLe + (le - previousLe) * (count - previousCount == 0 ? 1 : (target - previousCount) / (count - previousCount));
            }

            (previousLe, previousCount) = (le, count);
        }

        return previousLe;
    }
}

/// <summary>One sample line of the exposition.</summary>
public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
