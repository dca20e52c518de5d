using System.Data.Common;
using Basalt.Errors;
using Basalt.Model;
using Basalt.Query;
using Basalt.Storage;

namespace Basalt.Rules;

/// <summary>
/// Applies an API rule to a request: null locks the action to superusers, "" lets everyone through, and an expression
/// is compiled into the statement that reads the candidate records, so a failing rule is an absent row.
/// </summary>
public sealed class RuleEvaluator(ICollectionLookup collections, RecordQueryCompiler compiler)
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

    /// <summary>Appends <c> AND (rule)</c> when the rule constrains this caller; a null rule appends a false condition.</summary>
    public void AppendCondition(SqlBuilder sql, Collection collection, string alias, string? rule, RequestInfo request)
    {
        if (request.IsSuperuser)
        {
            return;
        }

        if (rule is null)
        {
            sql.Append(" AND 1 = 0");
            return;
        }

        if (rule.Trim().Length == 0)
        {
            return;
        }

        sql.Append(" AND (");
        compiler.AppendFilter(sql, Context(collection, request, alias, true), rule);
        sql.Append(')');
    }

    /// <summary>
    /// Whether a record that is not stored yet satisfies <paramref name="rule"/>: <paramref name="appendRow"/> writes a
    /// one-row SELECT of its values, which the rule reads in place of the collection's table. Nothing is written, so a
    /// failing rule answers before any uniqueness or validation check could tell the caller about stored data.
    /// </summary>
    public async Task<bool> MatchesCandidateAsync(Collection collection, Action<SqlBuilder> appendRow, string? rule, RequestInfo request, DbConnection connection, ISqlDialect dialect, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder(dialect);
        const string alias = "m";
        sql.Append("SELECT 1 FROM (");
        appendRow(sql);
        sql.Append(") ").AppendIdentifier(alias).Append(" WHERE 1 = 1");
        AppendCondition(sql, collection, alias, rule, request);
        sql.Append(" LIMIT 1");
        await using var command = sql.CreateCommand(connection);
        return await command.ExecuteScalarAsync(cancellationToken) is not null and not DBNull;
    }

    /// <summary>Whether the stored row <paramref name="id"/> satisfies <paramref name="rule"/> for this caller.</summary>
    public Task<bool> MatchesAsync(Collection collection, string id, string? rule, RequestInfo request, DbConnection connection, DbTransaction? transaction, ISqlDialect dialect, CancellationToken cancellationToken) =>
        MatchesAsync(collection, id, rule, null, request, connection, transaction, dialect, cancellationToken);

    /// <summary>
    /// Whether the stored row <paramref name="id"/> satisfies <paramref name="rule"/> and the client
    /// <paramref name="filter"/>, in one statement. The filter is compiled as a list request's <c>filter</c> for this
    /// caller, never with a rule's privileges: a non-superuser's <c>@request.*</c>, <c>@collection.*</c>, hidden fields
    /// and hops into collections it may not list are refused, and the length and expression limits hold.
    /// </summary>
    public async Task<bool> MatchesAsync(Collection collection, string id, string? rule, string? filter, RequestInfo request, DbConnection connection, DbTransaction? transaction, ISqlDialect dialect, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder(dialect);
        const string alias = "m";
        sql.Append("SELECT 1 FROM ").AppendIdentifier(collection.Name).Append(' ').AppendIdentifier(alias)
            .Append(" WHERE ").AppendColumn(alias, "id").Append(" = ").AppendParameter(id);
        AppendCondition(sql, collection, alias, rule, request);
        if (!string.IsNullOrWhiteSpace(filter))
        {
            sql.Append(" AND ");
            compiler.AppendFilter(sql, Context(collection, request, alias, false), filter);
        }

        sql.Append(" LIMIT 1");
        await using var command = sql.CreateCommand(connection, transaction);
        return await command.ExecuteScalarAsync(cancellationToken) is not null and not DBNull;
    }
}
