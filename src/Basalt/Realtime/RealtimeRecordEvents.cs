using System.Buffers;
using System.Data.Common;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Basalt.Auth;
using Basalt.Errors;
using Basalt.Model;
using Basalt.Query;
using Basalt.Records;
using Basalt.Rules;
using Basalt.Storage.Tables;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Basalt.Realtime;

/// <summary>
/// Record create/update/delete events for this node's clients (§8.3). Each subscription is evaluated for its own
/// client: <c>COLLECTION/*</c> and the legacy <c>COLLECTION</c> by listRule, <c>COLLECTION/ID</c> by viewRule, with the
/// bound auth and the options as <c>@request.*</c> (context <c>realtime</c>), then its <c>filter</c> (a client filter
/// with the subscriber's own privileges, never a rule's), <c>expand</c> and <c>fields</c>. Creates and updates are
/// queued after commit and fanned out off the writing request; deletes are evaluated once their rule passed, before
/// the delete, and queued after it, so every event leaves in the order the writes committed (a batch's included).
/// </summary>
public sealed class RealtimeRecordEvents(
    RecordService records, RecordStore store, RuleEvaluator rules, ICollectionLookup collections, RealtimeClientRegistry registry,
    ILogger<RealtimeRecordEvents> logger)
    : BackgroundService, IRecordWriteObserver
{
    /// <summary>
    /// Most subscriptions evaluated for one record event per signed-in record, however many connections it opens.
    /// </summary>
    public const int MaxSubscriptionsPerEvent = 50;

    /// <summary>
    /// Most subscriptions evaluated for one record event per guest IP: higher than a record's, since many visitors may
    /// share an address (a NAT, or a proxy that is not configured as trusted).
    /// </summary>
    public const int MaxGuestSubscriptionsPerEvent = 1000;

    /// <summary>How long one subscriber's subscriptions (over all its connections) may take to evaluate for one record event.</summary>
    public static readonly TimeSpan ClientBudget = TimeSpan.FromSeconds(2);

    /// <summary>Committed writes waiting for the fan-out; past this the oldest are dropped rather than held without bound.</summary>
    public const int QueueCapacity = 10_000;

    // A delete arrives already evaluated (Messages set): its row is gone by the time the queue reaches it.
    private readonly Channel<(string Action, Record Record, List<(RealtimeClient Client, RealtimeMessage Message)>? Messages)> _queue =
        Channel.CreateBounded<(string, Record, List<(RealtimeClient, RealtimeMessage)>?)>(
            new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest });

    public void Committed(string action, Record record)
    {
        if (registry.Count == 0 || record.Collection.IsView)
        {
            return;
        }

        RebindAuth(record);
        _queue.Writer.TryWrite((action, Copy(record), null));
    }

    /// <summary>
    /// Runs on the deleting request, after its deleteRule passed: nothing is read unless some client subscribes to this
    /// collection or record, so a delete only pays for the subscribers it has.
    /// </summary>
    public async Task<Action?> DeletingAsync(Collection collection, string id, CancellationToken cancellationToken)
    {
        if (registry.Count == 0 || collection.IsView)
        {
            return null;
        }

        var (listTopics, viewTopics) = Topics(collection, id);
        if (!registry.Clients.Any(c => c.Subscriptions.Any(s => listTopics.Any(s.Matches) || viewTopics.Any(s.Matches))))
        {
            return collection.IsAuth ? () => DropAuth(collection.Id, id) : null;
        }

        var record = await store.Database.ReadAsync((connection, ct) => store.FindByIdAsync(collection, id, connection, null, ct), cancellationToken);
        if (record is null)
        {
            return null;
        }

        var messages = await EvaluateAsync("delete", record, cancellationToken);
        return () =>
        {
            if (collection.IsAuth)
            {
                DropAuth(collection.Id, id);
            }

            _queue.Writer.TryWrite(("delete", record, messages));
        };
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        records.Observe(this);
        try
        {
            await foreach (var (action, record, evaluated) in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                foreach (var (client, message) in evaluated ?? await EvaluateAsync(action, record, stoppingToken))
                {
                    client.Send(message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // the host is stopping; queued events die with the connections they were for
        }
    }

    private async Task<List<(RealtimeClient Client, RealtimeMessage Message)>> EvaluateAsync(string action, Record record, CancellationToken cancellationToken)
    {
        var collection = record.Collection;
        var (listTopics, viewTopics) = Topics(collection, record.Id);
        var messages = new List<(RealtimeClient, RealtimeMessage)>();
        var budgets = new Dictionary<string, SubscriberBudget>(StringComparer.Ordinal);
        try
        {
            foreach (var client in registry.Clients)
            {
                await EvaluateClientAsync(client, action, record, listTopics, viewTopics, budgets, messages, cancellationToken);
            }
        }
        finally
        {
            foreach (var budget in budgets.Values)
            {
                budget.Dispose();
            }
        }

        return messages;
    }

    /// <summary>
    /// One client's subscriptions to this record, within its subscriber's budget: past <see cref="MaxSubscriptionsPerEvent"/>
    /// or <see cref="ClientBudget"/> the subscriber's remaining subscriptions get nothing, so neither many filters nor
    /// many connections let one subscriber make every write on the server pay for them.
    /// </summary>
    private async Task EvaluateClientAsync(
        RealtimeClient client, string action, Record record, string[] listTopics, string[] viewTopics,
        Dictionary<string, SubscriberBudget> budgets, List<(RealtimeClient, RealtimeMessage)> messages, CancellationToken cancellationToken)
    {
        var matching = new List<(RealtimeSubscription Subscription, bool IsList)>();
        foreach (var subscription in client.Subscriptions)
        {
            var isList = listTopics.Any(subscription.Matches);
            if (isList || viewTopics.Any(subscription.Matches))
            {
                matching.Add((subscription, isList));
            }
        }

        if (matching.Count == 0)
        {
            return;
        }

        var auth = CurrentAuth(client);
        var key = auth is null ? "ip:" + client.Ip : "auth:" + auth.Collection.Id + "/" + auth.Id;
        if (!budgets.TryGetValue(key, out var budget))
        {
            budget = new SubscriberBudget(auth is null ? MaxGuestSubscriptionsPerEvent : MaxSubscriptionsPerEvent, cancellationToken);
            budgets[key] = budget;
        }

        foreach (var (subscription, isList) in matching)
        {
            if (budget.Spent)
            {
                if (!budget.Reported)
                {
                    budget.Reported = true;
                    Log.RealtimeBudgetSpent(logger, key, record.Collection.Name, record.Id);
                }

                return;
            }

            budget.Remaining--;
            var rule = isList ? record.Collection.ListRule : record.Collection.ViewRule;
            try
            {
                if (await DataForAsync(action, record, rule, subscription.ToRequestInfo(auth), budget.Token) is { } data)
                {
                    messages.Add((client, new RealtimeMessage(subscription.Raw, data)));
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>
    /// The event's JSON for one subscriber, or null when its rule or filter hides the record. A filter this subscriber
    /// could not use in a list request (or that does not compile) hides everything, as in PocketBase.
    /// </summary>
    private async Task<string?> DataForAsync(string action, Record record, string? rule, RequestInfo request, CancellationToken cancellationToken)
    {
        if (rule is null && !request.IsSuperuser)
        {
            return null;
        }

        var collection = record.Collection;
        var filter = request.Query.GetValueOrDefault("filter");
        try
        {
            var visible = await store.Database.ReadAsync(
                (connection, ct) => rules.MatchesAsync(collection, record.Id, rule, filter, request, connection, null, ct),
                cancellationToken);
            if (!visible)
            {
                return null;
            }
        }
        catch (Exception e) when (e is ApiError or DbException or Storage.ReadTimeoutException)
        {
            // An unusable or too costly filter in this subscription's options: it gets nothing, the others still do.
            return null;
        }

        var copy = Copy(record);
        try
        {
            await records.ExpandAsync(copy, request.Query.GetValueOrDefault("expand"), request, cancellationToken);
        }
        catch (Exception e) when (e is ApiError or Storage.ReadTimeoutException)
        {
            // PocketBase sends the event without the expand it could not resolve (or, here, not within the read deadline)
            copy = Copy(record);
        }

        return Serialize(action, copy, request);
    }

    /// <summary>
    /// <c>{"action", "record"}</c>, with <c>fields</c> picked from the record as in PocketBase (an unusable
    /// <c>fields</c> sends the whole record, as PocketBase does).
    /// </summary>
    private static string Serialize(string action, Record record, RequestInfo request)
    {
        FieldsPicker? picker;
        try
        {
            picker = FieldsPicker.Parse(request.Query.GetValueOrDefault("fields"));
        }
        catch (ApiError)
        {
            picker = null;
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("action", action);
            writer.WritePropertyName("record");
            if (picker is null)
            {
                RecordSerializer.Write(writer, record, request);
            }
            else
            {
                var whole = new ArrayBufferWriter<byte>();
                using (var recordWriter = new Utf8JsonWriter(whole))
                {
                    RecordSerializer.Write(recordWriter, record, request);
                }

                if (picker.Apply(JsonNode.Parse(whole.WrittenSpan)) is { } picked)
                {
                    picked.WriteTo(writer);
                }
                else
                {
                    writer.WriteNullValue();
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// The client's bound auth if it still stands: a deleted collection or a changed auth token secret signs every
    /// token of the collection out (§8.2), so the binding goes too.
    /// </summary>
    private Record? CurrentAuth(RealtimeClient client)
    {
        if (client.Auth is not { } auth)
        {
            return null;
        }

        var current = collections.Find(auth.Collection.Id);
        if (current is not null && string.Equals(
                AuthCollectionOptions.TokenSecret(current, TokenService.AuthTokenOptions),
                AuthCollectionOptions.TokenSecret(auth.Collection, TokenService.AuthTokenOptions),
                StringComparison.Ordinal))
        {
            return auth;
        }

        client.ReplaceAuth(null);
        return null;
    }

    /// <summary>The topics that receive a record's events by listRule, and those that receive them by viewRule.</summary>
    private static (string[] List, string[] View) Topics(Collection collection, string id) =>
        ([collection.Name + "/*", collection.Id + "/*", collection.Name, collection.Id], [collection.Name + "/" + id, collection.Id + "/" + id]);

    /// <summary>
    /// Keeps the auth bound to clients current (§8.2): a changed tokenKey (password or email change) unbinds it, any
    /// other update refreshes the bound copy, so rules never read a stale or revoked auth.
    /// </summary>
    private void RebindAuth(Record record)
    {
        if (!record.Collection.IsAuth)
        {
            return;
        }

        foreach (var client in registry.Clients)
        {
            if (client.Auth is { } bound && bound.Collection.Id == record.Collection.Id && bound.Id == record.Id)
            {
                var revoked = !string.Equals(bound.GetString("tokenKey"), record.GetString("tokenKey"), StringComparison.Ordinal);
                client.ReplaceAuth(revoked ? null : Copy(record));
            }
        }
    }

    /// <summary>Unbinds the auth of every client signed in as a record that was deleted.</summary>
    private void DropAuth(string collectionId, string id)
    {
        foreach (var client in registry.Clients)
        {
            if (client.Auth is { } bound && bound.Collection.Id == collectionId && bound.Id == id)
            {
                client.ReplaceAuth(null);
            }
        }
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

    /// <summary>What one subscriber (a signed-in record, or a guest's IP) may still spend on the current event.</summary>
    private sealed class SubscriberBudget : IDisposable
    {
        private readonly CancellationTokenSource _time;

        public SubscriberBudget(int subscriptions, CancellationToken cancellationToken)
        {
            Remaining = subscriptions;
            _time = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _time.CancelAfter(ClientBudget);
        }

        public int Remaining { get; set; }

        public bool Reported { get; set; }

        public bool Spent => Remaining <= 0 || _time.IsCancellationRequested;

        public CancellationToken Token => _time.Token;

        public void Dispose() => _time.Dispose();
    }
}
