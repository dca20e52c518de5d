using System.Text.RegularExpressions;
using Basalt.Api;

namespace Basalt.Records;

/// <summary>
/// A parsed <c>?expand=</c>: comma-separated relation paths with dots for nesting (<c>author,comments_via_post.user</c>),
/// merged into a tree and cut at six levels. Unknown names are ignored when expanding, as PocketBase does.
/// </summary>
public sealed partial class ExpandTree
{
    public const int MaxDepth = 6;
    private const int MaxLength = 3500;

    public Dictionary<string, ExpandTree> Children { get; } = new(StringComparer.Ordinal);

    public bool IsEmpty => Children.Count == 0;

    /// <summary>Parses the parameter; null or blank gives null (no expansion asked for).</summary>
    public static ExpandTree? Parse(string? expand)
    {
        if (string.IsNullOrWhiteSpace(expand))
        {
            return null;
        }

        if (expand.Length > MaxLength || !AllowedRegex().IsMatch(expand))
        {
            throw ApiError.Field("Invalid \"expand\" parameter format.", "expand", "validation_invalid_value", "Invalid expand value.");
        }

        var root = new ExpandTree();
        foreach (var path in expand.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var node = root;
            foreach (var segment in path.Split('.', StringSplitOptions.RemoveEmptyEntries).Take(MaxDepth))
            {
                var name = Normalize(segment.Trim());
                if (!node.Children.TryGetValue(name, out var child))
                {
                    child = new ExpandTree();
                    node.Children[name] = child;
                }

                node = child;
            }
        }

        return root;
    }

    /// <summary>The legacy back-relation form <c>comments(post)</c> means <c>comments_via_post</c>.</summary>
    private static string Normalize(string segment)
    {
        var m = LegacyRegex().Match(segment);
        return m.Success ? m.Groups[1].Value + "_via_" + m.Groups[2].Value : segment;
    }

    [GeneratedRegex(@"^[\w.,()\s]*$")]
    private static partial Regex AllowedRegex();

    [GeneratedRegex(@"^(\w+)\((\w+)\)$")]
    private static partial Regex LegacyRegex();
}
