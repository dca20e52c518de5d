using Basalt.Query.Ast;
using Basalt.Storage;

namespace Basalt.Query;

/// <summary>
/// Emits a filter tree as one boolean SQL expression. Sources reached through relations, back-relations,
/// <c>@collection</c> or JSON arrays are LEFT JOINed inside one EXISTS subquery, so the expression is self-contained
/// and refers to the outer table only through its alias. Plain operators on multi-valued operands also require that
/// no item fails (<c>AND NOT EXISTS (... WHERE NOT cond)</c>); the <c>?</c> forms need one matching item.
/// </summary>
internal sealed class SqlCompiler
{
    private readonly Resolver _resolver;
    private readonly SqlBuilder _sql;
    private readonly Dictionary<ComparisonNode, (ResolvedOperand Left, ResolvedOperand Right)> _resolved =
        new(ReferenceEqualityComparer.Instance);

    public SqlCompiler(Resolver resolver, SqlBuilder sql)
    {
        _resolver = resolver;
        _sql = sql;
    }

    public void AppendFilter(FilterNode root)
    {
        // Resolve everything first: resolution registers the joins, which are written before the conditions.
        var scope = new JoinScope(_sql);
        Resolve(root, scope);
        _sql.Append('(');
        if (scope.IsEmpty)
        {
            AppendNode(root);
        }
        else
        {
            _sql.Append("EXISTS (SELECT 1 FROM ");
            scope.AppendFrom(_sql);
            _sql.Append(" WHERE ");
            AppendNode(root);
            _sql.Append(')');
        }

        _sql.Append(')');
    }

    private void Resolve(FilterNode node, JoinScope scope)
    {
        switch (node)
        {
            case LogicalNode logical:
                Resolve(logical.Left, scope);
                Resolve(logical.Right, scope);
                break;
            case ComparisonNode comparison:
                _resolved[comparison] = (_resolver.Resolve(comparison.Left, scope), _resolver.Resolve(comparison.Right, scope));
                break;
        }
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
