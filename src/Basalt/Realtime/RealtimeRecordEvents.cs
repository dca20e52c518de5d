using System.Data.Common;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Basalt.Api;
using Basalt.Collections;
using Basalt.Records;
using Basalt.Rules;
using Microsoft.Extensions.Hosting;

namespace Basalt.Realtime;

/// <summary>
/// Record create/update/delete events for this node's clients (§8.3). Each subscription is evaluated for its own
/// client: <c>COLLECTION/*</c> and the legacy <c>COLLECTION</c> by listRule, <c>COLLECTION/ID</c> by viewRule, with the
/// bound auth and the options as <c>@request.*</c> (context <c>realtime</c>), then its <c>filter</c>, <c>expand</c> and
/// <c>fields</c>. Creates and updates are queued after commit and fanned out off the writing request, in order;
/// deletes are evaluated before the delete and sent after it.
/// </summary>
public sealed class RealtimeRecordEvents(RecordService records, RecordStore store, RuleEvaluator rules, RealtimeClientRegistry registry)
    : BackgroundService, IRecordWriteObserver
{
    /// <summary>Committed writes waiting for the fan-out; past this the oldest are dropped rather than held without bound.</summary>
    public const int QueueCapacity = 10_000;

    private readonly Channel<(string Action, Record Record)> _queue = Channel.CreateBounded<(string, Record)>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest });

    public void Committed(string action, Record record)
    {
        if (registry.Count == 0 || record.Collection.IsView)
        {
            return;
        }

        RebindAuth(record, deleted: false);
        _queue.Writer.TryWrite((action, Copy(record)));
    }

    public async Task<Action?> DeletingAsync(Collection collection, string id, CancellationToken cancellationToken)
    {
        if (registry.Count == 0 || collection.IsView)
        {
            return null;
        }

        var record = await store.Database.ReadAsync((connection, ct) => store.FindByIdAsync(collection, id, connection, null, ct), cancellationToken);
        if (record is null)
        {
            return null;
        }

        var messages = await EvaluateAsync("delete", record, cancellationToken);
        return () =>
        {
            RebindAuth(record, deleted: true);
            messages.ForEach(m => m.Client.Send(m.Message));
        };
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        records.Observe(this);
        try
        {
            await foreach (var (action, record) in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                foreach (var (client, message) in await EvaluateAsync(action, record, stoppingToken))
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
        var listTopics = new[] { collection.Name + "/*", collection.Id + "/*", collection.Name, collection.Id };
        var viewTopics = new[] { collection.Name + "/" + record.Id, collection.Id + "/" + record.Id };
        var messages = new List<(RealtimeClient, RealtimeMessage)>();
        foreach (var client in registry.Clients)
        {
            foreach (var subscription in client.Subscriptions)
            {
                var isList = listTopics.Any(subscription.Matches);
                if (!isList && !viewTopics.Any(subscription.Matches))
                {
                    continue;
                }

                var request = subscription.ToRequestInfo(client.Auth);
                if (await DataForAsync(action, record, isList ? collection.ListRule : collection.ViewRule, request, cancellationToken) is { } data)
                {
                    messages.Add((client, new RealtimeMessage(subscription.Raw, data)));
                }
            }
        }

        return messages;
    }

    /// <summary>The event's JSON for one subscriber, or null when its rule or filter hides the record (or its options are invalid).</summary>
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
                async (connection, ct) =>
                    await rules.MatchesAsync(collection, record.Id, rule, request, connection, null, store.Dialect, ct) &&
                    (string.IsNullOrWhiteSpace(filter) ||
                        await rules.MatchesAsync(collection, record.Id, filter, request, connection, null, store.Dialect, ct)),
                cancellationToken);
            if (!visible)
            {
                return null;
            }

            var copy = Copy(record);
            await records.ExpandAsync(copy, request.Query.GetValueOrDefault("expand"), request, cancellationToken);
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("action", action);
                writer.WritePropertyName("record");
                RecordSerializer.Write(writer, copy, request);
                writer.WriteEndObject();
            }

            var picker = FieldsPicker.Parse(request.Query.GetValueOrDefault("fields"));
            return picker is null
                ? System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan)
                : picker.Apply(JsonNode.Parse(buffer.WrittenSpan))?.ToJsonString() ?? "null";
        }
        catch (Exception e) when (e is ApiError or DbException or Query.FilterSyntaxException or Storage.ReadTimeoutException)
        {
            // an invalid (or too costly) filter or expand in this subscription's options: it gets nothing, the others still do
            return null;
        }
    }

    /// <summary>
    /// Keeps the auth bound to clients current (§8.2): a changed tokenKey (password or email change) or a deleted
    /// record unbinds it, any other update refreshes the bound copy, so rules never read a stale or revoked auth.
    /// </summary>
    private void RebindAuth(Record record, bool deleted)
    {
        if (!record.Collection.IsAuth)
        {
            return;
        }

        foreach (var client in registry.Clients)
        {
            if (client.Auth is { } bound && bound.Collection.Id == record.Collection.Id && bound.Id == record.Id)
            {
                var revoked = deleted || !string.Equals(bound.GetString("tokenKey"), record.GetString("tokenKey"), StringComparison.Ordinal);
                client.ReplaceAuth(revoked ? null : Copy(record));
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
}
