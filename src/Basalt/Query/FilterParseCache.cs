using System.Collections.Concurrent;
using Basalt.Query.Ast;

namespace Basalt.Query;

/// <summary>
/// Parse trees by expression text. Rules repeat on every request, so each is parsed once; the cache is bounded
/// (emptied when full) so that clients sending endless distinct filters cannot grow it.
/// </summary>
internal sealed class FilterParseCache
{
    private readonly ConcurrentDictionary<string, FilterNode> _trees = new(StringComparer.Ordinal);
    private readonly int _capacity;

    public FilterParseCache(int capacity = QueryLimits.ParseCacheSize)
    {
        _capacity = capacity;
    }

    public int Count => _trees.Count;

    /// <summary>Returns the tree for <paramref name="text"/>; throws <see cref="FilterSyntaxException"/> when it does not parse.</summary>
    public FilterNode Get(string text)
    {
        if (_trees.TryGetValue(text, out var cached))
        {
            return cached;
        }

        var tree = Parser.Parse(text);
        if (_trees.Count >= _capacity)
        {
            _trees.Clear();
        }

        _trees[text] = tree;
        return tree;
    }
}
