using Basalt.Query.Ast;
using Basalt.Storage;

namespace Basalt.Query;

/// <summary>
/// Emits a filter tree as one boolean SQL expression. Sources reached through relations, back-relations,
/// <c>@collection</c> or JSON arrays are LEFT JOINed inside EXISTS subqueries, so the expression is self-contained
/// and refers to the outer table only through its alias. Plain operators on multi-valued operands also require that
/// no item fails (<c>AND NOT EXISTS (... WHERE NOT cond)</c>); the <c>?</c> forms need one matching item.
/// </summary>
/// <remarks>
/// Comparisons on the same path must see the same joined row (PocketBase shares its joins), but comparisons that
/// share no path need not: one subquery over every join of the filter would multiply the joins' rows, so
/// <c>a.x = 1 &amp;&amp; b.y = 2 &amp;&amp; c.z = 3</c> would scan |a|·|b|·|c| rows. Since the language has no
/// negation of a subexpression, EXISTS distributes over OR, and over AND between operands that share no join; so each
/// join is bound in the innermost subquery that covers every comparison using it, and the cost grows with the sum of
/// the paths' sizes instead of their product.
/// </remarks>
internal sealed class SqlCompiler
{
    private static readonly HashSet<string> NoKeys = [];

    private readonly Resolver _resolver;
    private readonly SqlBuilder _sql;
    private readonly Dictionary<ComparisonNode, (ResolvedOperand Left, ResolvedOperand Right)> _resolved =
        new(ReferenceEqualityComparer.Instance);

    private readonly Dictionary<FilterNode, HashSet<string>> _keys = new(ReferenceEqualityComparer.Instance);
    private JoinScope? _scope;

    public SqlCompiler(Resolver resolver, SqlBuilder sql)
    {
        _resolver = resolver;
        _sql = sql;
    }

    public void AppendFilter(FilterNode root)
    {
        // Resolve everything first: resolution registers the joins, which are written before the conditions.
        _scope = new JoinScope(_sql);
        Resolve(root, _scope);
        _sql.Append('(');
        Emit(root, NoKeys);
        _sql.Append(')');
    }

    private HashSet<string> Resolve(FilterNode node, JoinScope scope)
    {
        HashSet<string> keys;
        switch (node)
        {
            case LogicalNode logical:
                keys = [.. Resolve(logical.Left, scope), .. Resolve(logical.Right, scope)];
                break;
            case ComparisonNode comparison:
                keys = [];
                scope.Track(keys);
                _resolved[comparison] = (_resolver.Resolve(comparison.Left, scope), _resolver.Resolve(comparison.Right, scope));
                scope.Track(null);
                break;
            default:
                keys = [];
                break;
        }

        _keys[node] = keys;
        return keys;
    }

    private HashSet<string> Free(FilterNode node, IReadOnlySet<string> bound)
    {
        var free = new HashSet<string>(_keys[node], StringComparer.Ordinal);
        free.ExceptWith(bound);
        return free;
    }

    /// <summary>Writes <paramref name="node"/> where the joins in <paramref name="bound"/> are already in scope.</summary>
    private void Emit(FilterNode node, IReadOnlySet<string> bound)
    {
        var free = Free(node, bound);
        if (free.Count == 0)
        {
            AppendNode(node);
            return;
        }

        switch (node)
        {
            case ComparisonNode comparison:
                AppendExists(free, () => AppendComparison(comparison));
                break;
            case LogicalNode { IsAnd: false } or:
                _sql.Append('(');
                Emit(or.Left, bound);
                _sql.Append(" OR ");
                Emit(or.Right, bound);
                _sql.Append(')');
                break;
            case LogicalNode and:
                var conjuncts = new List<FilterNode>();
                Flatten(and, conjuncts);
                EmitConjunction(conjuncts, bound);
                break;
        }
    }

    private static void Flatten(FilterNode node, List<FilterNode> conjuncts)
    {
        if (node is LogicalNode { IsAnd: true } and)
        {
            Flatten(and.Left, conjuncts);
            Flatten(and.Right, conjuncts);
        }
        else
        {
            conjuncts.Add(node);
        }
    }

    /// <summary>
    /// Writes an AND of <paramref name="conjuncts"/>: groups that share no free join are written apart; inside a group
    /// the joins used by two or more conjuncts are bound once in an EXISTS around them, the rest inside each conjunct.
    /// </summary>
    private void EmitConjunction(List<FilterNode> conjuncts, IReadOnlySet<string> bound)
    {
        if (conjuncts.Count == 1)
        {
            Emit(conjuncts[0], bound);
            return;
        }

        var free = conjuncts.Select(c => Free(c, bound)).ToList();
        var groups = Group(free);
        if (groups.Count > 1)
        {
            _sql.Append('(');
            for (var g = 0; g < groups.Count; g++)
            {
                _sql.Append(g == 0 ? "" : " AND ");
                EmitConjunction(groups[g].Select(i => conjuncts[i]).ToList(), bound);
            }

            _sql.Append(')');
            return;
        }

        var shared = new HashSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in free.SelectMany(f => f))
        {
            if (!seen.Add(key))
            {
                shared.Add(key);
            }
        }

        var inner = new HashSet<string>(bound, StringComparer.Ordinal);
        inner.UnionWith(shared);
        AppendExists(shared, () =>
        {
            _sql.Append('(');
            for (var i = 0; i < conjuncts.Count; i++)
            {
                _sql.Append(i == 0 ? "" : " AND ");
                Emit(conjuncts[i], inner);
            }

            _sql.Append(')');
        });
    }

    /// <summary>Connected groups of indexes, two being connected when their key sets intersect; no-key items stand alone.</summary>
    private static List<List<int>> Group(List<HashSet<string>> keys)
    {
        var groups = new List<(List<int> Items, HashSet<string> Keys)>();
        for (var i = 0; i < keys.Count; i++)
        {
            var merged = (Items: new List<int> { i }, Keys: new HashSet<string>(keys[i], StringComparer.Ordinal));
            for (var g = groups.Count - 1; g >= 0; g--)
            {
                if (groups[g].Keys.Overlaps(merged.Keys))
                {
                    merged.Items.AddRange(groups[g].Items);
                    merged.Keys.UnionWith(groups[g].Keys);
                    groups.RemoveAt(g);
                }
            }

            groups.Add(merged);
        }

        return groups.Select(g => g.Items.Order().ToList()).OrderBy(g => g[0]).ToList();
    }

    private void AppendExists(IReadOnlySet<string> keys, Action body)
    {
        _sql.Append("EXISTS (SELECT 1 FROM ");
        _scope!.AppendFrom(_sql, keys);
        _sql.Append(" WHERE ");
        body();
        _sql.Append(')');
    }

    private void AppendNode(FilterNode node)
    {
        switch (node)
        {
            case LogicalNode logical:
                _sql.Append('(');
                AppendNode(logical.Left);
                _sql.Append(logical.IsAnd ? " AND " : " OR ");
                AppendNode(logical.Right);
                _sql.Append(')');
                break;
            case ComparisonNode comparison:
                AppendComparison(comparison);
                break;
        }
    }

    private void AppendComparison(ComparisonNode node)
    {
        var (left, right) = _resolved[node];
        if (node.AnyOf || !(left.IsMulti || right.IsMulti))
        {
            ComparisonWriter.Append(_sql, node.Operator, left, right);
            return;
        }

        // "All items match": the shared joins give the matching row, a fresh set of joins looks for a failing one.
        _sql.Append('(');
        ComparisonWriter.Append(_sql, node.Operator, left, right);
        var fresh = new JoinScope(_sql);
        var freshLeft = _resolver.Resolve(node.Left, fresh);
        var freshRight = _resolver.Resolve(node.Right, fresh);
        _sql.Append(" AND NOT EXISTS (SELECT 1 FROM ");
        fresh.AppendFrom(_sql);
        _sql.Append(" WHERE NOT (");
        ComparisonWriter.Append(_sql, node.Operator, freshLeft, freshRight);
        _sql.Append(")))");
    }
}
