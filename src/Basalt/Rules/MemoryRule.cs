using Basalt.Errors;
using Basalt.Model;
using Basalt.Query;
using Basalt.Query.Ast;

namespace Basalt.Rules;

/// <summary>
/// A rule simple enough to answer without a database: <c>&amp;&amp;</c>/<c>||</c> over <c>=</c> and <c>!=</c> between
/// the record's own single text-like fields (text, email, url, single select or relation), text literals,
/// <c>null</c>, <c>@request.auth.id</c>/<c>collectionId</c>/<c>collectionName</c>, <c>@request.context</c> and
/// <c>@request.method</c>. For these the SQL the compiler writes compares '' and NULL as equal and everything else as
/// exact text (<see cref="ComparisonOperator"/> semantics of <c>ComparisonWriter</c>), which is what
/// <see cref="Matches"/> does; anything else (numbers, other fields, relations, modifiers, functions, macros,
/// <c>@request.query</c>, <c>@collection</c>) is left to SQL. The realtime fan-out uses it to answer
/// <c>owner = @request.auth.id</c> for thousands of subscribers without a query each.
/// </summary>
public sealed class MemoryRule
{
    private readonly Func<Record, RequestInfo, bool> _match;

    private MemoryRule(Func<Record, RequestInfo, bool> match)
    {
        _match = match;
    }

    /// <summary>Whether <paramref name="record"/> meets the rule for <paramref name="request"/>, as the rule's SQL would answer.</summary>
    public bool Matches(Record record, RequestInfo request) => _match(record, request);

    /// <summary>The rule as a <see cref="MemoryRule"/>, or null when it needs SQL (or does not compile).</summary>
    public static MemoryRule? TryCompile(Collection collection, string rule, RecordQueryCompiler compiler)
    {
        FilterNode tree;
        try
        {
            tree = compiler.Parse(rule);
        }
        catch (ApiError)
        {
            return null;
        }

        return Compile(collection, tree) is { } match ? new MemoryRule(match) : null;
    }

    private static Func<Record, RequestInfo, bool>? Compile(Collection collection, FilterNode node)
    {
        switch (node)
        {
            case LogicalNode logical:
                {
                    var left = Compile(collection, logical.Left);
                    var right = Compile(collection, logical.Right);
                    if (left is null || right is null)
                    {
                        return null;
                    }

                    return logical.IsAnd ? (r, q) => left(r, q) && right(r, q) : (r, q) => left(r, q) || right(r, q);
                }

            case ComparisonNode { AnyOf: false, Operator: ComparisonOperator.Equal or ComparisonOperator.NotEqual } comparison:
                {
                    var left = Operand(collection, comparison.Left);
                    var right = Operand(collection, comparison.Right);
                    if (left is null || right is null)
                    {
                        return null;
                    }

                    // '' and NULL are one value on both sides (a stored text is never NULL; a literal null is).
                    var equal = comparison.Operator == ComparisonOperator.Equal;
                    return (r, q) => string.Equals(left(r, q) ?? "", right(r, q) ?? "", StringComparison.Ordinal) == equal;
                }

            default:
                return null;
        }
    }

    private static Func<Record, RequestInfo, string?>? Operand(Collection collection, Operand operand)
    {
        switch (operand)
        {
            case TextOperand text:
                var value = text.Value;
                return (_, _) => value;
            case IdentifierOperand { Name: var name } when name.Equals("null", StringComparison.OrdinalIgnoreCase):
                return (_, _) => null;
            case IdentifierOperand { Name: "@request.auth.id" }:
                return (_, q) => q.Auth?.Id ?? "";
            case IdentifierOperand { Name: "@request.auth.collectionId" }:
                return (_, q) => q.Auth?.Collection.Id ?? "";
            case IdentifierOperand { Name: "@request.auth.collectionName" }:
                return (_, q) => q.Auth?.Collection.Name ?? "";
            case IdentifierOperand { Name: "@request.context" }:
                return (_, q) => q.Context;
            case IdentifierOperand { Name: "@request.method" }:
                return (_, q) => q.Method;
            case IdentifierOperand { Name: var field } when IsPlainText(collection.FindField(field)):
                return (r, _) => r.Get(field) as string ?? "";
            default:
                return null;
        }
    }

    private static bool IsPlainText(Field? field) => field is not null && !field.IsMultiple && field.Type is
        FieldType.Text or FieldType.Email or FieldType.Url or FieldType.Select or FieldType.Relation;
}
