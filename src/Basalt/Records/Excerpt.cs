using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Basalt.Records;

/// <summary>The <c>:excerpt(max, withEllipsis?)</c> field modifier: HTML to plain text, whitespace collapsed, cut at max characters.</summary>
public sealed class Excerpt
{
    private static readonly HashSet<string> SkippedTags = new(StringComparer.OrdinalIgnoreCase) { "script", "style", "noscript", "template", "iframe", "svg", "head" };

    private Excerpt(int max, bool withEllipsis)
    {
        Max = max;
        WithEllipsis = withEllipsis;
    }

    public int Max { get; }

    public bool WithEllipsis { get; }

    /// <summary>Parses <c>excerpt(200)</c> or <c>excerpt(200, true)</c>; anything else gives null.</summary>
    public static Excerpt? Parse(string modifier)
    {
        var text = modifier.Trim();
        if (!text.StartsWith("excerpt(", StringComparison.Ordinal) || !text.EndsWith(')'))
        {
            return null;
        }

        var args = text["excerpt(".Length..^1].Split(',', StringSplitOptions.TrimEntries);
        if (args.Length is < 1 or > 2 || !int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out var max) || max <= 0)
        {
            return null;
        }

        var ellipsis = false;
        if (args.Length == 2)
        {
            switch (args[1].ToLowerInvariant())
            {
                case "true" or "1" or "t":
                    ellipsis = true;
                    break;
                case "false" or "0" or "f" or "":
                    break;
                default:
                    return null;
            }
        }

        return new Excerpt(max, ellipsis);
    }

    public JsonNode Apply(JsonNode? value)
    {
        var text = value switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            null => "",
            JsonValue v when v.GetValueKind() == JsonValueKind.Null => "",
            _ => value.ToJsonString(),
        };
        var plain = ToPlainText(text);
        var runes = plain.EnumerateRunes().ToList();
        if (runes.Count > Max)
        {
            var cut = string.Concat(runes.Take(Max).Select(r => r.ToString()));
            plain = cut.TrimEnd() + (WithEllipsis ? "..." : "");
        }

        return JsonValue.Create(plain);
    }

    /// <summary>Drops tags (and the content of script-like elements), decodes entities and collapses whitespace.</summary>
    internal static string ToPlainText(string html)
    {
        var sb = new StringBuilder(html.Length);
        var i = 0;
        while (i < html.Length)
        {
            if (html[i] != '<')
            {
                var next = html.IndexOf('<', i);
                sb.Append(html, i, (next < 0 ? html.Length : next) - i);
                i = next < 0 ? html.Length : next;
                continue;
            }

            var end = html.IndexOf('>', i);
            if (end < 0)
            {
                sb.Append(html, i, html.Length - i);
                break;
            }

            var raw = html[(i + 1)..end];
            var tag = raw.TrimStart('/').Split([' ', '\t', '\n', '\r', '/'], 2)[0];
            i = end + 1;
            sb.Append(' ');
            if (!raw.StartsWith('/') && SkippedTags.Contains(tag))
            {
                var close = html.IndexOf("</" + tag, i, StringComparison.OrdinalIgnoreCase);
                i = close < 0 ? html.Length : (html.IndexOf('>', close) is var c && c >= 0 ? c + 1 : html.Length);
            }
        }

        var decoded = WebUtility.HtmlDecode(sb.ToString());
        var result = new StringBuilder(decoded.Length);
        var space = false;
        foreach (var ch in decoded)
        {
            if (char.IsWhiteSpace(ch))
            {
                space = result.Length > 0;
                continue;
            }

            if (space)
            {
                result.Append(' ');
                space = false;
            }

            result.Append(ch);
        }

        return result.ToString();
    }
}
