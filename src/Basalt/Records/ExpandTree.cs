using System.Text.RegularExpressions;

namespace Basalt.Records;

/// <summary>
/// A parsed <c>?expand=</c>: comma-separated relation paths with dots for nesting (<c>author,comments_via_post.user</c>),
/// merged into a tree and cut at six levels. Unknown names, and paths with characters no relation can be named with,
/// are ignored, as PocketBase does (it tries each path and skips the ones that fail).
/// </summary>
public sealed partial class ExpandTree
{
    public const int MaxDepth = 6;
    private const int MaxLength = 3500;

    public Dictionary<string, ExpandTree> Children { get; } = new(StringComparer.Ordinal);

    public bool IsEmpty => Children.Count == 0;

    /// <summary>Parses the parameter; null or blank gives null (no expansion asked for), and so does a value with no usable path.</summary>
    public static ExpandTree? Parse(string? expand)
    {
        if (string.IsNullOrWhiteSpace(expand) || expand.Length > MaxLength)
        {
            return null;
        }

        var root = new ExpandTree();
        foreach (var raw in expand.Split(','))
        {
            // PocketBase drops every space and the dots at either end before it looks a path up.
            var path = raw.Replace(" ", "", StringComparison.Ordinal).Trim('.');
            var segments = path.Split('.');
            if (path.Length == 0 || !segments.All(s => SegmentRegex().IsMatch(s)))
            {
                continue;
            }

            var node = root;
            foreach (var segment in segments.Take(MaxDepth))
            {
                var name = Normalize(segment);
                if (!node.Children.TryGetValue(name, out var child))
                {
                    child = new ExpandTree();
                    node.Children[name] = child;
                }

                node = child;
            }
        }

        return root.IsEmpty ? null : root;
    }

    /// <summary>The legacy back-relation form <c>comments(post)</c> means <c>comments_via_post</c>.</summary>
    private static string Normalize(string segment)
    {
        var m = LegacyRegex().Match(segment);
        return m.Success ? m.Groups[1].Value + "_via_" + m.Groups[2].Value : segment;
    }

    [GeneratedRegex(@"^([A-Za-z0-9_]+|[A-Za-z0-9_]+\([A-Za-z0-9_]+\))$")]
    private static partial Regex SegmentRegex();

    [GeneratedRegex(@"^(\w+)\((\w+)\)$")]
    private static partial Regex LegacyRegex();
}
