using Basalt.Errors;
using Basalt.Model;
using Basalt.Query;
using Basalt.Storage.Tables;

namespace Basalt.Auth;

/// <summary>
/// Applies a collection's <c>authRule</c> before a token is issued, by a sign-in or by auth-refresh: null refuses
/// everyone, "" admits every record.
/// </summary>
public sealed class AuthRuleChecker(RecordStore store, ICollectionLookup collections, RecordQueryCompiler compiler)
{
    public const string RuleNotSatisfied = "The request doesn't satisfy the collection requirements to authenticate.";

    /// <summary>
    /// 403 unless <paramref name="record"/> (as stored now) satisfies the authRule; <paramref name="requestContext"/> is
    /// what the rule reads as <c>@request.context</c> (<c>password</c>, <c>otp</c>, <c>oauth2</c>, or <c>default</c>).
    /// </summary>
    public async Task EnsureCanAuthenticateAsync(Record record, string requestContext, CancellationToken cancellationToken)
    {
        var rule = AuthCollectionOptions.AuthRule(record.Collection);
        if (rule is null)
        {
            throw ApiError.Forbidden(RuleNotSatisfied);
        }

        if (!await MatchesAsync(record, rule, requestContext, cancellationToken))
        {
            throw ApiError.Forbidden(RuleNotSatisfied);
        }
    }

    /// <summary>Whether <paramref name="record"/> satisfies <paramref name="rule"/> ("" matches every record); also decides <c>mfa.rule</c>.</summary>
    public async Task<bool> MatchesAsync(Record record, string rule, string requestContext, CancellationToken cancellationToken)
    {
        if (rule.Trim().Length == 0)
        {
            return true;
        }

        var context = new FilterContext
        {
            Collections = collections,
            Collection = record.Collection,
            Request = new RequestInfo { Method = "POST", Context = requestContext },
            IsRule = true,
        };
        var where = compiler.Condition(store.Dialect, context, rule);
        return await store.Database.ReadAsync((connection, ct) => store.ExistsAsync(record.Collection, record.Id, where, connection, null, ct), cancellationToken);
    }
}
