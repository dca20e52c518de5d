using Basalt.Auth;
using Basalt.Model;
using Basalt.Query;
using Basalt.Records;
using Basalt.Rules;
using Basalt.Storage.Tables;
using Microsoft.Extensions.Logging;

namespace Basalt.Realtime;

/// <summary>
/// Turns one committed record write into frames for its subscribers (§8.3): <c>COLLECTION/*</c> and the legacy
/// <c>COLLECTION</c> by listRule, <c>COLLECTION/ID</c> by viewRule, with the bound auth and the options as
/// <c>@request.*</c> (context <c>realtime</c>), then the subscription's <c>filter</c> (a client filter with the
/// subscriber's own privileges), <c>expand</c> and <c>fields</c>. The work is per <see cref="EventGroup"/>, not per
/// subscriber: subscribers whose answer cannot differ are grouped, each group is answered in memory where the rule
/// allows (<see cref="MemoryRule"/>) or else by one statement for all such groups (<see cref="GroupsPerQuery"/> at a
/// time), and each distinct payload is serialized once and framed once per subscription string. Rules are evaluated
/// against the row as the change log holds it, so a delete is judged on the record it deleted.
/// </summary>
public sealed partial class RecordEventFanout(
    RecordService records, RecordStore store, RuleEvaluator rules, ICollectionLookup collections, RecordQueryCompiler compiler,
    ILogger<RecordEventFanout> logger)
{
    /// <summary>Groups answered by one statement at most (each brings its own condition and parameters).</summary>
    public const int GroupsPerQuery = 100;

    /// <summary>How long the queries of one event may take before the groups they answer get nothing.</summary>
    public static readonly TimeSpan EvaluationBudget = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Frames handed over between two yields of the fan-out's thread: an event for 10,000 streams is written in slices,
    /// so requests (the next create among them) run between them instead of waiting for the whole event.
    /// </summary>
    public const int FramesPerSlice = 256;

    /// <summary>
    /// Evaluates the event for <paramref name="audiences"/> and hands each frame to <paramref name="deliver"/> with its
    /// client; returns how many frames were handed over.
    /// </summary>
    public async Task<int> FanOutAsync(
        long eventId, string action, Record record, IReadOnlyList<EventAudience> audiences, Action<RealtimeClient, byte[]> deliver,
        CancellationToken cancellationToken)
    {
        var groups = Group(record, audiences);
        if (groups.Count == 0)
        {
            return 0;
        }

        ApplyBudget(record, groups);
        await EvaluateAsync(record, groups, cancellationToken);

        var payloads = new Dictionary<(string Class, string? Expand, string? Fields, string? Options), byte[]>();
        var frames = new Dictionary<(EventAudience, byte[]), byte[]>();
        var sent = 0;
        foreach (var group in groups)
        {
            if (group.Visible != true || group.Members.Count == 0)
            {
                continue;
            }

            var subscription = group.Subscription;
            // A payload read with the reader's request (an expand, an auth record's email) also reads the options'
            // query and headers: the related and manage rules may test them, so only the same options share it.
            var payloadKey = (group.PayloadClass, subscription.Expand, subscription.Fields, group.ReadsRequest ? subscription.Options : null);
            if (!payloads.TryGetValue(payloadKey, out var data))
            {
                data = await PayloadAsync(action, record, subscription, group.Request, cancellationToken);
                payloads[payloadKey] = data;
            }

            if (!frames.TryGetValue((group.Audience, data), out var frame))
            {
                frame = SseFrames.Event(eventId, subscription.Raw, data);
                frames[(group.Audience, data)] = frame;
            }

            foreach (var member in group.Members)
            {
                deliver(member, frame);
                if (++sent % FramesPerSlice == 0)
                {
                    await Task.Yield();
                }
            }
        }

        return sent;
    }

    /// <summary>
    /// Splits each audience by what decides its answer: superuser or not, plus the auth where the rule reads
    /// <c>@request.auth</c>, where a filter is set (a filter's relation hops apply the related rules for the caller),
    /// and where the payload depends on the reader (an expand, or an auth record's email visibility).
    /// </summary>
    private List<EventGroup> Group(Record record, IReadOnlyList<EventAudience> audiences)
    {
        var collection = record.Collection;
        var groups = new List<EventGroup>();
        var secrets = new Dictionary<Collection, bool>(ReferenceEqualityComparer.Instance);
        foreach (var audience in audiences)
        {
            var subscription = audience.Subscription;
            var rule = audience.ByListRule ? collection.ListRule : collection.ViewRule;
            var ruleReadsAuth = rule?.Contains("@request.auth", StringComparison.Ordinal) ?? false;
            var filterReadsRequest = subscription.Filter?.Contains("@request", StringComparison.Ordinal) ?? false;
            var payloadPerReader = subscription.Expand is not null || collection.IsAuth;
            var byKey = new Dictionary<(bool, string?, string?), EventGroup>();
            foreach (var member in audience.Members)
            {
                if (member.IsClosed)
                {
                    continue;
                }

                var auth = CurrentAuth(member, secrets);
                var superuser = auth?.Collection.Name == SystemCollections.Superusers;
                var authKey = auth is null ? "" : member.AuthKey;
                var evaluation = superuser
                    ? (filterReadsRequest ? authKey : null)
                    : (ruleReadsAuth || subscription.Filter is not null ? authKey : null);
                var payload = superuser || !payloadPerReader ? null : authKey;
                var key = (superuser, evaluation, payload);
                if (!byKey.TryGetValue(key, out var group))
                {
                    group = new EventGroup(audience, subscription.ToRequestInfo(auth), superuser ? "s" : payload is null ? "p" : "a:" + payload);
                    byKey[key] = group;
                    groups.Add(group);
                }

                group.Members.Add(member);
            }
        }

        return groups;
    }

    /// <summary>Takes out of each costly group the members whose subscriber has spent its budget on this event.</summary>
    private void ApplyBudget(Record record, List<EventGroup> groups)
    {
        var budget = new SubscriberBudget();
        foreach (var group in groups)
        {
            group.Visible = Decide(record, group);
            if (!group.IsCostly || group.Visible == false)
            {
                continue;
            }

            var allowed = new Dictionary<string, bool>(StringComparer.Ordinal);
            var kept = new List<RealtimeClient>(group.Members.Count);
            foreach (var member in group.Members)
            {
                var subscriber = SubscriberBudget.Subscriber(member);
                if (!allowed.TryGetValue(subscriber, out var ok))
                {
                    ok = budget.TrySpend(subscriber, out var firstRefusal);
                    allowed[subscriber] = ok;
                    if (firstRefusal)
                    {
                        Log.RealtimeBudgetSpent(logger, subscriber, record.Collection.Name, record.Id);
                    }
                }

                if (ok)
                {
                    kept.Add(member);
                }
            }

            group.Members = kept;
        }
    }

    /// <summary>
    /// The client's bound auth if it still stands: a deleted collection or a changed auth token secret signs every
    /// token of the collection out (§8.2), so the binding goes too.
    /// </summary>
    private Record? CurrentAuth(RealtimeClient client, Dictionary<Collection, bool> secrets)
    {
        if (client.Auth is not { } auth)
        {
            return null;
        }

        if (!secrets.TryGetValue(auth.Collection, out var stands))
        {
            var current = collections.Find(auth.Collection.Id);
            stands = current is not null && string.Equals(
                AuthCollectionOptions.TokenSecret(current, TokenService.AuthTokenOptions),
                AuthCollectionOptions.TokenSecret(auth.Collection, TokenService.AuthTokenOptions),
                StringComparison.Ordinal);
            secrets[auth.Collection] = stands;
        }

        if (stands)
        {
            return auth;
        }

        client.ReplaceAuth(null);
        return null;
    }

    private static Record Copy(Record record)
    {
        var copy = new Record(record.Collection);
        foreach (var (name, value) in record.Values)
        {
            copy.Values[name] = value;
        }

        return copy;
    }
}
