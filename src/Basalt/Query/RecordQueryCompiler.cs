using Basalt.Common;
using Basalt.Errors;
using Basalt.Query.Ast;
using Basalt.Storage;

namespace Basalt.Query;

/// <summary>Compiles filters, rules and sorts into parameterized SQL over a collection's table.</summary>
public sealed class RecordQueryCompiler
{
    private readonly FilterParseCache _cache = new();
    private readonly TimeProvider _time;

    public RecordQueryCompiler()
        : this(TimeProvider.System)
    {
    }

    public RecordQueryCompiler(TimeProvider time)
    {
        _time = time;
    }

    /// <summary>
    /// Appends a parenthesized boolean SQL expression for <paramref name="expression"/> that refers to the table only
    /// through <see cref="FilterContext.Alias"/> (relations become correlated subqueries, so the caller adds no JOIN).
    /// An empty expression appends <c>(1=1)</c>. Throws <see cref="ApiError"/> (403 for a non-superuser's
    /// <c>@request</c>/<c>@collection</c>, 400 for anything unusable) and nothing else.
    /// </summary>
    public void AppendFilter(SqlBuilder sql, FilterContext context, string expression)
    {
        if (string.IsNullOrWhiteSpace(expression))
        {
            sql.Append("(1=1)");
            return;
        }

        CheckClientText(context, expression);
        if (!context.IsRule && expression.Length > QueryLimits.MaxFilterLength)
        {
            throw QueryErrors.Invalid($"filter longer than {QueryLimits.MaxFilterLength} characters");
        }

        using var span = BasaltTracing.Source.StartActivity(context.IsRule ? "rule compile" : "filter compile");
        span?.SetTag("basalt.collection", context.Collection.Name);
        Guard(() =>
        {
            var tree = _cache.Get(expression);
            new SqlCompiler(NewResolver(context), sql).AppendFilter(tree);
        });
    }

    /// <summary>
    /// Appends the ORDER BY items (without the keyword) for a <c>sort</c> parameter; appends nothing when
    /// <paramref name="sort"/> has no keys (see <see cref="HasSortKeys"/>). Throws <see cref="ApiError"/> only.
    /// </summary>
    public void AppendSort(SqlBuilder sql, FilterContext context, string sort)
    {
        CheckClientText(context, sort);
        Guard(() => SortCompiler.Append(sql, NewResolver(context), context, sort));
    }

    /// <summary>Compiles a client's <paramref name="sort"/> once into ORDER BY items (none when it has no keys).</summary>
    public SqlOrder Order(ISqlDialect dialect, FilterContext context, string? sort)
    {
        var order = new SqlOrder(dialect, context.Alias);
        return HasSortKeys(sort) ? order.Then(sql => AppendSort(sql, context, sort!)) : order;
    }

    /// <summary>Compiles a client's <paramref name="filter"/> once into a condition (none when it is blank).</summary>
    public SqlCondition Condition(ISqlDialect dialect, FilterContext context, string? filter)
    {
        var condition = new SqlCondition(dialect);
        return string.IsNullOrWhiteSpace(filter) ? condition : condition.And(sql => AppendFilter(sql, context, filter));
    }

    /// <summary>True when <paramref name="sort"/> names at least one key, i.e. <see cref="AppendSort"/> will write something.</summary>
    public static bool HasSortKeys(string? sort) => sort?.Split(',').Any(k => k.Trim().Length > 0) ?? false;

    /// <summary>Parses an expression (through the bounded cache) without compiling it, to validate a rule when it is saved.</summary>
    public FilterNode Parse(string expression)
    {
        FilterNode? tree = null;
        Guard(() => tree = _cache.Get(expression));
        return tree!;
    }

    private Resolver NewResolver(FilterContext context) => new(context, this, _time.GetUtcNow());

    /// <summary>
    /// PocketBase refuses a non-superuser's filter and sort that contain <c>@collection.</c> or <c>@request.</c> by
    /// looking at the raw texts, before parsing either: the filter first, then the sort, <c>@collection.</c> before
    /// <c>@request.</c> in each. A list request calls this before compiling anything so the 403 wins over any 400.
    /// </summary>
    public static void CheckClientTexts(RequestInfo request, params string?[] texts)
    {
        if (request.IsSuperuser)
        {
            return;
        }

        foreach (var text in texts)
        {
            if (string.IsNullOrEmpty(text))
            {
                continue;
            }

            foreach (var forbidden in QueryErrors.SuperuserOnlyTexts)
            {
                if (text.Contains(forbidden, StringComparison.Ordinal))
                {
                    throw QueryErrors.Forbidden(forbidden);
                }
            }
        }
    }

    private static void CheckClientText(FilterContext context, string text)
    {
        if (!context.IsRule)
        {
            CheckClientTexts(context.Request, text);
        }
    }

    /// <summary>Turns every failure on user input into an <see cref="ApiError"/>; nothing else may leave the compiler.</summary>
    private static void Guard(Action compile)
    {
        try
        {
            compile();
        }
        catch (ApiError)
        {
            throw;
        }
        catch (FilterSyntaxException e)
        {
            // Kept as the inner exception: its message and position are what the rule editor shows.
            throw new ApiError(400, ApiError.DefaultBadRequest, null, e);
        }
        catch (Exception e)
        {
            throw new ApiError(400, ApiError.DefaultBadRequest, null, e);
        }
    }
}
