using System.Data.Common;
using Basalt.Errors;
using Basalt.Model;
using Basalt.Query;
using Basalt.Storage;
using Basalt.Storage.Tables;

namespace Basalt.Rules;

/// <summary>
/// Applies an API rule to a request: null locks the action to superusers, "" lets everyone through, and an expression
/// is compiled into the statement that reads the candidate records, so a failing rule is an absent row.
/// </summary>
public sealed class RuleEvaluator(ICollectionLookup collections, RecordQueryCompiler compiler, RecordStore store)
{
    public const string SuperusersOnly = "Only superusers can perform this action.";

    /// <summary>Throws 403 when the rule is null and the caller is not a superuser; checked before any record is looked up.</summary>
    public static void EnsureNotLocked(string? rule, RequestInfo request)
    {
        if (rule is null && !request.IsSuperuser)
        {
            throw ApiError.Forbidden(SuperusersOnly);
        }
    }

    /// <summary>True when the rule adds a condition for this caller (a non-empty expression and not a superuser).</summary>
    public static bool NeedsCondition(string? rule, RequestInfo request) =>
        !request.IsSuperuser && !string.IsNullOrWhiteSpace(rule);

    public FilterContext Context(Collection collection, RequestInfo request, string alias, bool isRule) => new()
    {
        Collections = collections,
        Collection = collection,
        Request = request,
        Alias = alias,
        IsRule = isRule,
    };

    /// <summary>
    /// Compiles, once, the condition a caller's rows must meet: <paramref name="rule"/> (nothing for a superuser or an
    /// empty rule, no row for a null one) and the client <paramref name="filter"/>. The filter is compiled as a list
    /// request's <c>filter</c> for this caller, never with a rule's privileges: a non-superuser's <c>@request.*</c>,
    /// <c>@collection.*</c>, hidden fields and hops into collections it may not list are refused, and the length and
    /// expression limits hold.
    /// </summary>
    public SqlCondition Condition(Collection collection, string? rule, RequestInfo request, string? filter = null) =>
        Condition(collection, rule, request, filter, null);

    /// <summary>
    /// <see cref="Condition(Collection, string?, RequestInfo, string?)"/> with its parameters named after
    /// <paramref name="parameterPrefix"/>, so several can share one statement (see <see cref="SqlCondition(ISqlDialect, string)"/>).
    /// </summary>
    public SqlCondition Condition(Collection collection, string? rule, RequestInfo request, string? filter, string? parameterPrefix)
    {
        var condition = parameterPrefix is null ? new SqlCondition(store.Dialect) : new SqlCondition(store.Dialect, parameterPrefix);
        if (!request.IsSuperuser)
        {
            if (rule is null)
            {
                condition.AndNone();
            }
            else if (rule.Trim().Length > 0)
            {
                condition.And(sql => compiler.AppendFilter(sql, Context(collection, request, RecordStore.Alias, true), rule));
            }
        }

        if (!string.IsNullOrWhiteSpace(filter))
        {
            condition.And(sql => compiler.AppendFilter(sql, Context(collection, request, RecordStore.Alias, false), filter));
        }

        return condition;
    }

    /// <summary>
    /// Whether a record that is not stored yet satisfies <paramref name="rule"/>: its values are read in place of the
    /// collection's table. Nothing is written, so a failing rule answers before any uniqueness or validation check could
    /// tell the caller about stored data.
    /// </summary>
    public Task<bool> MatchesCandidateAsync(Record candidate, string? rule, RequestInfo request, DbConnection connection, CancellationToken cancellationToken) =>
        store.CandidateMeetsAsync(candidate, Condition(candidate.Collection, rule, request), connection, cancellationToken);

    /// <summary>Whether the stored row <paramref name="id"/> satisfies <paramref name="rule"/> for this caller.</summary>
    public Task<bool> MatchesAsync(Collection collection, string id, string? rule, RequestInfo request, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        MatchesAsync(collection, id, rule, null, request, connection, transaction, cancellationToken);

    /// <summary>
    /// Whether the stored row <paramref name="id"/> satisfies <paramref name="rule"/> and the client
    /// <paramref name="filter"/> (compiled as <see cref="Condition"/> says), in one statement.
    /// </summary>
    public Task<bool> MatchesAsync(Collection collection, string id, string? rule, string? filter, RequestInfo request, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        store.ExistsAsync(collection, id, Condition(collection, rule, request, filter), connection, transaction, cancellationToken);
}
