using System.Globalization;
using Basalt.Query;
using Basalt.Query.Ast;

namespace Basalt.OpenApi;

/// <summary>
/// A collection rule in plain words for the document's descriptions: who may act, what happens to everyone else, and the
/// rule itself. Expressions are read with the filter parser and worded clause by clause; one that does not parse is
/// shown as written.
/// </summary>
internal static class RuleWords
{
    /// <summary>The description of <paramref name="rule"/> for <paramref name="action"/> (list, view, create, update, delete, auth).</summary>
    public static string Describe(string? rule, string action)
    {
        if (rule is null)
        {
            return "**Superusers only** (the rule is locked): anyone else gets 403.";
        }

        if (rule.Trim().Length == 0)
        {
            return "**Anyone**, guests included (the rule is empty).";
        }

        var words = TryWords(rule);
        var consequence = action switch
        {
            "list" => "Records that do not meet it are left out of the page (still 200).",
            "view" => "A record that does not meet it answers 404.",
            "create" => "A record that would not meet it is refused with 400.",
            "update" or "delete" => "A record that does not meet it answers 404.",
            "auth" => "A record that does not meet it cannot sign in (403).",
            _ => "",
        };
        var allowed = words is null ? "Allowed when the rule holds." : "Allowed when " + words + ".";
        return $"{allowed} {consequence} Superusers are always allowed. Rule: `{rule}`";
    }

    private static string? TryWords(string rule)
    {
        try
        {
            return Words(Parser.Parse(rule));
        }
        catch (FilterSyntaxException)
        {
            return null;
        }
    }

    private static string Words(FilterNode node) => node switch
    {
        LogicalNode { IsAnd: true } and => Group(and.Left, true) + " and " + Group(and.Right, true),
        LogicalNode or => Group(or.Left, false) + " or " + Group(or.Right, false),
        ComparisonNode comparison => Comparison(comparison),
        _ => "the rule holds",
    };

    /// <summary>Parenthesises a side of a different kind, so "a and (b or c)" keeps its meaning.</summary>
    private static string Group(FilterNode node, bool insideAnd) =>
        node is LogicalNode inner && inner.IsAnd != insideAnd ? "(" + Words(inner) + ")" : Words(node);

    private static string Comparison(ComparisonNode node)
    {
        if (node.Left is IdentifierOperand { Name: "@request.auth.id" } && IsEmpty(node.Right) && !node.AnyOf)
        {
            return node.Operator switch
            {
                ComparisonOperator.NotEqual => "the caller is signed in",
                ComparisonOperator.Equal => "the caller is a guest",
                _ => Plain(node),
            };
        }

        return Plain(node);
    }

    private static string Plain(ComparisonNode node)
    {
        var op = node.Operator switch
        {
            ComparisonOperator.Equal => IsEmpty(node.Right) ? "is empty" : "equals",
            ComparisonOperator.NotEqual => IsEmpty(node.Right) ? "is not empty" : "differs from",
            ComparisonOperator.Greater => "is greater than",
            ComparisonOperator.GreaterOrEqual => "is at least",
            ComparisonOperator.Less => "is less than",
            ComparisonOperator.LessOrEqual => "is at most",
            ComparisonOperator.Like => "contains",
            ComparisonOperator.NotLike => "does not contain",
            _ => "compares to",
        };
        var left = (node.AnyOf ? "any of " : "") + Operand(node.Left);
        return node.Operator is ComparisonOperator.Equal or ComparisonOperator.NotEqual && IsEmpty(node.Right)
            ? $"{left} {op}"
            : $"{left} {op} {Operand(node.Right)}";
    }

    private static bool IsEmpty(Operand operand) =>
        operand is TextOperand { Value.Length: 0 } || (operand is IdentifierOperand id && id.Name.Equals("null", StringComparison.OrdinalIgnoreCase));

    private static string Operand(Operand operand) => operand switch
    {
        TextOperand text => "\"" + text.Value + "\"",
        NumberOperand number => number.Text,
        FunctionOperand function => $"`{function.Name}(…)`",
        IdentifierOperand id => Identifier(id.Name),
        _ => "a value",
    };

    private static string Identifier(string name)
    {
        const string auth = "@request.auth.";
        const string body = "@request.body.";
        const string query = "@request.query.";
        const string headers = "@request.headers.";
        const string collection = "@collection.";
        return name switch
        {
            "@request.auth.id" => "the caller's id",
            "@request.method" => "the request method",
            "@request.context" => "the request context",
            "@now" => "the current time",
            _ when name.Equals("true", StringComparison.OrdinalIgnoreCase) => "true",
            _ when name.Equals("false", StringComparison.OrdinalIgnoreCase) => "false",
            _ when name.StartsWith(auth, StringComparison.Ordinal) => $"the caller's `{name[auth.Length..]}`",
            _ when name.StartsWith(body, StringComparison.Ordinal) => $"the submitted `{name[body.Length..]}`",
            _ when name.StartsWith(query, StringComparison.Ordinal) => $"the query parameter `{name[query.Length..]}`",
            _ when name.StartsWith(headers, StringComparison.Ordinal) => $"the header `{name[headers.Length..]}`",
            _ when name.StartsWith(collection, StringComparison.Ordinal) => CollectionWords(name[collection.Length..]),
            _ when name.StartsWith('@') => $"`{name}`",
            _ => $"the record's `{name}`",
        };
    }

    private static string CollectionWords(string rest)
    {
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        return dot < 0
            ? $"`@collection.{rest}`"
            : string.Format(CultureInfo.InvariantCulture, "`{0}` of a record of `{1}`", rest[(dot + 1)..], rest[..dot].Split(':')[0]);
    }
}
