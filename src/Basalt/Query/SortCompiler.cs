using Basalt.Storage;

namespace Basalt.Query;

/// <summary>
/// Writes ORDER BY items for a <c>sort</c> parameter: <c>-f</c> descending, <c>+f</c>/<c>f</c> ascending,
/// <c>@random</c>, <c>@rowid</c>, and relation paths (read by a scalar subquery, NULL when the relation is empty,
/// so such records come first ascending and last descending).
/// </summary>
internal static class SortCompiler
{
    public static void Append(SqlBuilder sql, Resolver resolver, FilterContext context, string sort)
    {
        var keys = sort.Split(',').Select(k => k.Trim()).Where(k => k.Length > 0).ToList();
        if (keys.Count > QueryLimits.MaxSortKeys)
        {
            throw QueryErrors.Invalid($"more than {QueryLimits.MaxSortKeys} sort keys");
        }

        var dialect = sql.Dialect;
        for (var i = 0; i < keys.Count; i++)
        {
            var key = keys[i];
            if (key.Length > QueryLimits.MaxSortKeyLength)
            {
                throw QueryErrors.Invalid($"sort key longer than {QueryLimits.MaxSortKeyLength} characters");
            }

            var descending = key[0] == '-';
            var name = key[0] is '-' or '+' ? key[1..] : key;
            if (i > 0)
            {
                sql.Append(", ");
            }

            if (name == "@random")
            {
                sql.Append(dialect.RandomOrder);
                continue;
            }

            if (name == "@rowid")
            {
                // Views have no row number; their id is the closest stable order.
                if (context.Collection.IsView)
                {
                    sql.AppendColumn(context.Alias, "id");
                }
                else
                {
                    dialect.AppendRowIdOrder(sql, context.Alias);
                }

                dialect.AppendSortDirection(sql, descending, false);
                continue;
            }

            var tokens = Lexer.Tokenize(name);
            if (tokens.Count != 2 || tokens[0].Kind != TokenKind.Identifier)
            {
                throw new FilterSyntaxException($"invalid sort key {key}");
            }

            var scope = new JoinScope(sql);
            var operand = resolver.ResolveIdentifier(name, scope, forSort: true);
            if (operand.IsStatic)
            {
                throw new FilterSyntaxException($"sort key {key} is not a field");
            }

            var domain = operand.Kind switch
            {
                ValueKind.Number => Domain.Number,
                ValueKind.Bool => Domain.Bool,
                ValueKind.Json => Domain.JsonValue,
                _ => Domain.Text,
            };
            if (scope.IsEmpty)
            {
                AppendGuardedValue(sql, operand, domain);
            }
            else
            {
                sql.Append("(SELECT ");
                AppendGuardedValue(sql, operand, domain);
                sql.Append(" FROM ");
                scope.AppendFrom(sql);
                sql.Append(" LIMIT 1)");
            }

            dialect.AppendSortDirection(sql, descending, operand.Nullable || operand.Guard is not null || !scope.IsEmpty);
        }
    }

    /// <summary>
    /// A value behind a guard (a client sorting by an email) sorts as NULL where the guard fails, so the order
    /// tells nothing about values the client may not filter by.
    /// </summary>
    private static void AppendGuardedValue(SqlBuilder sql, ResolvedOperand operand, Domain domain)
    {
        if (operand.Guard is null)
        {
            ComparisonWriter.AppendValue(sql, operand, domain);
            return;
        }

        sql.Append("(CASE WHEN ");
        operand.Guard(sql);
        sql.Append(" THEN ");
        ComparisonWriter.AppendValue(sql, operand, domain);
        sql.Append(" END)");
    }
}
