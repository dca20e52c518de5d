using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Basalt.Common;
using Basalt.Model;
using Basalt.Storage.Cluster;
using Basalt.Storage.Tables;

namespace Basalt.Realtime;

/// <summary>
/// A subscribe that reached a node other than the one holding the client. The receiving node has validated it as a
/// subscribe is validated anywhere and resolved its token; it writes the subscribe to <c>_realtimeSubscribes</c> with the
/// auth's collection and id (nothing the client said about itself), wakes the holding node with a <c>NOTIFY</c> that
/// carries only the subscribe's random id, and waits for its answer. The holding node takes its rows (a delete, so once,
/// signals coalesced into one take at a time), applies each through <see cref="RealtimeSubscribing"/> exactly as a
/// local subscribe, and answers each with the outcome.
/// </summary>
public sealed partial class ClusterRealtimeBroker
{
    /// <summary>How long a forwarded subscribe waits for the holding node to take it; past that the client is as good as gone.</summary>
    internal static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How much longer it waits when the holding node took it in time but its answer has not come.</summary>
    private static readonly TimeSpan TakenGrace = TimeSpan.FromSeconds(2);

    private const int DrainIdle = 0;
    private const int DrainRunning = 1;
    private const int DrainAgain = 2;

    private readonly ConcurrentDictionary<string, TaskCompletionSource<SubscribeOutcome>> _waiting = new(StringComparer.Ordinal);

    private int _drainState;

    /// <inheritdoc/>
    /// <remarks>
    /// A PostgreSQL failure on the way is never a 500: before the subscribe is written it is answered as for a client no
    /// node holds (404, so the SDK reconnects); once it may be written it is withdrawn first, and 503 when even that
    /// fails, since the holding node might still apply it.
    /// </remarks>
    public async ValueTask<SubscribeOutcome> ForwardSubscribeAsync(ForwardedSubscribe subscribe, CancellationToken cancellationToken)
    {
        if (!SpansNodes)
        {
            return SubscribeOutcome.UnknownClient;
        }

        string? node;
        try
        {
            node = await tables.RealtimeClientNodeAsync(KeyOf(subscribe.ClientId), Since(PeerTimeout), cancellationToken);
        }
        catch (Exception e) when (IsDatabaseFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            Log.RealtimeClusterStateFailed(logger, "finding the node of a client", e);
            return SubscribeOutcome.UnknownClient;
        }

        if (node is null || node == database.Cluster.NodeId)
        {
            // Recorded here but not in the registry: the stream has just ended.
            return SubscribeOutcome.UnknownClient;
        }

        var id = RandomText.Lowercase(24);
        var answer = new TaskCompletionSource<SubscribeOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[id] = answer;
        try
        {
            var row = new RealtimeSubscribeRow(
                id,
                node,
                subscribe.ClientId,
                subscribe.Ip,
                subscribe.Auth?.Collection.Id ?? "",
                subscribe.Auth?.Id ?? "",
                JsonSerializer.Serialize([.. subscribe.Topics], RealtimeJsonContext.Default.ListString),
                subscribe.ResumeFrom?.ToString(CultureInfo.InvariantCulture) ?? "");
            try
            {
                await tables.AddRealtimeSubscribeAsync(row, Now, cancellationToken);
                await database.Cluster.SendAsync(ClusterChannel.Subscribe, node + " " + id, cancellationToken);
            }
            catch (Exception e) when (IsDatabaseFailure(e) && !cancellationToken.IsCancellationRequested)
            {
                // The insert may have committed before the failure, and the holding node's resync takes rows without a signal.
                Log.RealtimeClusterStateFailed(logger, "forwarding a subscribe", e);
                return await WithdrawAsync(id, answer, cancellationToken);
            }

            try
            {
                return await answer.Task.WaitAsync(AnswerTimeout, time, cancellationToken);
            }
            catch (TimeoutException)
            {
                return await WithdrawAsync(id, answer, cancellationToken);
            }
        }
        finally
        {
            _waiting.TryRemove(id, out _);
        }
    }

    /// <summary>
    /// A forwarded subscribe whose answer is not coming as it should. Not taken: withdrawn, so it is never applied after
    /// this answer. Taken: its answer should be on its way. Not withdrawn for a database failure: it may be applied yet.
    /// </summary>
    private async Task<SubscribeOutcome> WithdrawAsync(string id, TaskCompletionSource<SubscribeOutcome> answer, CancellationToken cancellationToken)
    {
        try
        {
            if (await tables.DropRealtimeSubscribeAsync(id, CancellationToken.None))
            {
                return SubscribeOutcome.UnknownClient;
            }
        }
        catch (Exception e) when (IsDatabaseFailure(e))
        {
            Log.RealtimeClusterStateFailed(logger, "withdrawing a forwarded subscribe", e);
            return SubscribeOutcome.Unavailable;
        }

        try
        {
            return await answer.Task.WaitAsync(TakenGrace, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            return SubscribeOutcome.UnknownClient;
        }
    }

    /// <summary>Payload "node id": another node forwarded a subscribe, for this node when the node is this one.</summary>
    private void OnSubscribeSignal(string payload)
    {
        var space = payload.IndexOf(' ', StringComparison.Ordinal);
        if (space > 0 && payload.AsSpan(0, space).SequenceEqual(database.Cluster.NodeId))
        {
            RequestDrain();
        }
    }

    /// <summary>
    /// Asks for every subscribe waiting for this node to be taken and applied. Signals are coalesced into one drain at a
    /// time (and one more after it when a signal came meanwhile): a flood of forwarded subscribes, which any client can
    /// send for its own client id through another node, costs this node one take at a time, never a task and a
    /// database connection per signal.
    /// </summary>
    private void RequestDrain()
    {
        while (true)
        {
            var state = Volatile.Read(ref _drainState);
            if (state == DrainAgain)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _drainState, state + 1, state) == state)
            {
                if (state == DrainIdle)
                {
                    _ = DrainAsync();
                }

                return;
            }
        }
    }

    private async Task DrainAsync()
    {
        await Task.Yield();
        while (true)
        {
            await ApplyForwardedAsync();
            if (Interlocked.CompareExchange(ref _drainState, DrainIdle, DrainRunning) == DrainRunning)
            {
                return;
            }

            Volatile.Write(ref _drainState, DrainRunning);
        }
    }

    /// <summary>Payload "id outcome": the answer to a subscribe this node may be waiting for.</summary>
    private void OnSubscribedSignal(string payload)
    {
        var space = payload.IndexOf(' ', StringComparison.Ordinal);
        if (space > 0
            && _waiting.TryGetValue(payload[..space], out var answer)
            && Enum.TryParse<SubscribeOutcome>(payload.AsSpan(space + 1), out var outcome)
            && Enum.IsDefined(outcome))
        {
            answer.TrySetResult(outcome);
        }
    }

    /// <summary>Takes every forwarded subscribe waiting for this node and applies each, answering each; never throws.</summary>
    private async Task ApplyForwardedAsync()
    {
        List<RealtimeSubscribeRow> rows;

        // Every row was written before the take, so one read begun after it serves them all.
        long ticket;
        try
        {
            rows = await tables.TakeRealtimeSubscribesAsync(database.Cluster.NodeId, CancellationToken.None);
            ticket = dispatcher.SubscribeTicket;
        }
        catch (Exception e)
        {
            // Never thrown out of the drain, which must go on taking later signals. The senders stop waiting and answer
            // 404: the client reconnects, as when its node is gone.
            Log.RealtimeClusterStateFailed(logger, "a forwarded subscribe", e);
            return;
        }

        foreach (var row in rows)
        {
            try
            {
                var outcome = await ApplyAsync(row, ticket);
                await database.Cluster.SendAsync(ClusterChannel.Subscribed, row.Id + " " + outcome, CancellationToken.None);
            }
            catch (Exception e)
            {
                // This one's sender answers 404 once it stops waiting; the subscribes taken with it are still applied.
                Log.RealtimeClusterStateFailed(logger, "a forwarded subscribe", e);
            }
        }
    }

    private async Task<SubscribeOutcome> ApplyAsync(RealtimeSubscribeRow row, long ticket)
    {
        if (registry.Find(row.Client) is not { } client)
        {
            return SubscribeOutcome.UnknownClient;
        }

        // The sender validated every topic with the same parser; one that no longer parses is dropped, never guessed.
        var topics = JsonSerializer.Deserialize(row.Subscriptions, RealtimeJsonContext.Default.ListString) ?? [];
        var subscriptions = new List<RealtimeSubscription>(topics.Count);
        foreach (var topic in topics)
        {
            if (RealtimeSubscription.TryParse(topic, out _) is { } subscription)
            {
                subscriptions.Add(subscription);
            }
        }

        // The auth as the sender's token check resolved it, read again here: a record deleted meanwhile is a guest, as
        // its token would be now.
        Record? auth = null;
        if (row.AuthCollection.Length > 0 && collections.Find(row.AuthCollection) is { IsAuth: true } collection)
        {
            auth = await authRecords.FindByIdAsync(collection, row.AuthId, CancellationToken.None);
        }

        long? resumeFrom = long.TryParse(row.ResumeFrom, NumberStyles.None, CultureInfo.InvariantCulture, out var after) ? after : null;
        return await RealtimeSubscribing.ApplyAsync(dispatcher, client, row.Ip, auth, subscriptions, resumeFrom, ticket, CancellationToken.None);
    }
}
