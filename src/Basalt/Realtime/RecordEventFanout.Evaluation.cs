using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using Basalt.Errors;
using Basalt.Model;
using Basalt.Rules;
using Basalt.Storage;

namespace Basalt.Realtime;

/// <summary>Whether each group may see the record: in memory where possible, otherwise in as few statements as possible.</summary>
public sealed partial class RecordEventFanout
{
    private readonly ConditionalWeakTable<Collection, Dictionary<string, MemoryRule?>> _memoryRules = new();

    /// <summary>The answer when it needs no query: superusers skip rules, a null rule hides, "" or a <see cref="MemoryRule"/> answers.</summary>
    private bool? Decide(Record record, EventGroup group)
    {
        var collection = record.Collection;
        var rule = group.Audience.ByListRule ? collection.ListRule : collection.ViewRule;
        if (group.Request.IsSuperuser)
        {
            return group.Subscription.Filter is null ? true : null;
        }

        if (rule is null)
        {
            return false;
        }

        if (group.Subscription.Filter is not null)
        {
            return null;
        }

        return string.IsNullOrWhiteSpace(rule) ? true : MemoryRuleFor(collection, rule)?.Matches(record, group.Request);
    }

    /// <summary>
    /// Answers the groups that need a query: each group's rule and filter compile into one condition (one that does not
    /// compile hides the record from that group, as it would hide it from a list), and the conditions are checked
    /// against the record in statements of <see cref="GroupsPerQuery"/>. A statement that fails or runs out of its
    /// time is retried group by group, so one bad filter costs only its own group the event; every statement and retry
    /// of the event shares <see cref="EvaluationBudget"/>, and groups still unanswered when it is spent get nothing.
    /// </summary>
    private async Task EvaluateAsync(Record record, List<EventGroup> groups, CancellationToken cancellationToken)
    {
        var pending = new List<(EventGroup Group, SqlCondition Condition)>();
        foreach (var group in groups)
        {
            if (group.Visible is not null || group.Members.Count == 0)
            {
                continue;
            }

            var collection = record.Collection;
            var rule = group.Audience.ByListRule ? collection.ListRule : collection.ViewRule;
            try
            {
                var prefix = "g" + pending.Count.ToString(CultureInfo.InvariantCulture) + "x";
                pending.Add((group, rules.Condition(collection, rule, group.Request, group.Subscription.Filter, prefix)));
            }
            catch (ApiError)
            {
                group.Visible = false;
            }
        }

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(EvaluationBudget);
        foreach (var chunk in pending.Chunk(GroupsPerQuery))
        {
            // A statement gets a quarter of the budget, so a slow filter in it leaves time to retry its other groups.
            bool[]? answers = null;
            if (!budget.IsCancellationRequested)
            {
                using var statement = CancellationTokenSource.CreateLinkedTokenSource(budget.Token);
                statement.CancelAfter(EvaluationBudget / 4);
                answers = await TryMatchAsync(record, chunk.Select(p => p.Condition).ToList(), statement.Token, cancellationToken);
            }

            if (answers is not null)
            {
                for (var i = 0; i < chunk.Length; i++)
                {
                    chunk[i].Group.Visible = answers[i];
                }

                continue;
            }

            foreach (var (group, condition) in chunk)
            {
                // The retries spend the event's budget too: once it is gone the rest get nothing without a query, so
                // many slow filters cannot hold the one dispatcher (and every other stream) for long.
                if (budget.IsCancellationRequested)
                {
                    group.Visible = false;
                    continue;
                }

                using var alone = CancellationTokenSource.CreateLinkedTokenSource(budget.Token);
                alone.CancelAfter(EvaluationBudget / 8);
                group.Visible = (await TryMatchAsync(record, [condition], alone.Token, cancellationToken))?[0] ?? false;
            }
        }
    }

    /// <summary>The answers of one statement, or null when it failed or ran out of time (the caller decides what then).</summary>
    private async Task<bool[]?> TryMatchAsync(Record record, List<SqlCondition> conditions, CancellationToken deadline, CancellationToken cancellationToken)
    {
        try
        {
            return await store.Database.ReadAsync((connection, ct) => store.CandidateMeetsEachAsync(record, conditions, connection, ct), deadline);
        }
        catch (Exception e) when (e is ApiError or DbException or ReadTimeoutException ||
                                  (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    private MemoryRule? MemoryRuleFor(Collection collection, string rule)
    {
        var cache = _memoryRules.GetValue(collection, static _ => new Dictionary<string, MemoryRule?>(StringComparer.Ordinal));
        lock (cache)
        {
            if (!cache.TryGetValue(rule, out var compiled))
            {
                compiled = MemoryRule.TryCompile(collection, rule, compiler);
                cache[rule] = compiled;
            }

            return compiled;
        }
    }
}
