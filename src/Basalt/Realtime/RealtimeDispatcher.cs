using System.Data.Common;
using Basalt.Errors;
using Basalt.Model;
using Basalt.Storage;
using Basalt.Storage.Changes;
using Basalt.Storage.Tables;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Basalt.Realtime;

/// <summary>
/// The one reader of the change log on this node: woken after each commit that appended (<see cref="ChangeFeed"/>, and
/// at least every <see cref="Poll"/>), it reads the settled entries in id order (commit order wherever one write could see another) and fans each one
/// out before the next (<see cref="RecordEventFanout"/>), queueing frames without waiting on any client. Writes
/// therefore return as soon as they commit, and every stream receives events in that order. Subscribing takes the
/// same turn as an entry, so a subscription takes effect between two entries: the replay of a resuming client covers
/// exactly the entries before it, and live delivery exactly those after. While no client is connected it reads no
/// entries and moves past them.
/// </summary>
public sealed class RealtimeDispatcher(
    ChangeLogStore log, RealtimeClientRegistry registry, RecordEventFanout fanout, RealtimeReplay replay, ICollectionLookup collections,
    TimeProvider time, ILogger<RealtimeDispatcher> logger)
    : BackgroundService
{
    /// <summary>Entries read per statement.</summary>
    public const int PageSize = 500;

    /// <summary>
    /// How often the log is read without a wake-up: the safety net for another node's commit whose signal was lost
    /// (it died between its commit and its <c>NOTIFY</c>, or this node's listening connection was re-opened).
    /// </summary>
    public static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait before asking again while the horizon holds ids it could not settle yet.</summary>
    private static readonly TimeSpan MaxSettleRetry = TimeSpan.FromMilliseconds(100);

    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly AnsweredWrites _answered = new(log, logger);
    private long _position;
    private long _entriesRead;

    /// <summary>Taken as a subscribe arrives, for <see cref="SubscribeAsync"/> when it runs later (a forwarded one).</summary>
    public long SubscribeTicket => _answered.Ticket;

    /// <summary>
    /// The id of the last entry fanned out, or passed while no client was connected: every entry up to it has been
    /// handed to the clients' queues.
    /// </summary>
    public long Position => Interlocked.Read(ref _position);

    /// <summary>Change-log entries this dispatcher has read, for the <c>basalt.realtime.changes_read</c> counter.</summary>
    public long EntriesRead => Interlocked.Read(ref _entriesRead);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Events start with what commits from now on; what came before is only for clients that resume.
        var head = (await log.BoundsAsync(cancellationToken)).Head;
        var changes = log.Database.Changes;
        if (log.Database.Cluster.Shared)
        {
            // Another node may still commit an id below the head: start from what is settled, which usually catches up
            // at once. Entries between the two (if a transaction stays open) are passed live, with no subscriber yet.
            var settled = await changes.SettleAsync(cancellationToken);
            for (var i = 0; i < 100 && settled < head && changes.Pending; i++)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), time, cancellationToken);
                settled = await changes.SettleAsync(cancellationToken);
            }

            head = Math.Min(head, settled);
        }
        else
        {
            changes.Advance(head);
        }

        Interlocked.Exchange(ref _position, head);
        await base.StartAsync(cancellationToken);
    }

    /// <summary>
    /// Binds <paramref name="auth"/> and sets the client's subscriptions between two entries; false when the client is
    /// bound to another auth. A new subscription gets the events of writes that commit after this call, as in
    /// PocketBase, also while the log is not settled past writes already answered (PostgreSQL: an older id still
    /// open). With <paramref name="resumeFrom"/> (or the id the connection presented) on the connection's first such
    /// call, it gets the entries after that id instead: those up to the dispatcher's position are replayed, checked
    /// against the client's rules as they are now, before the live ones that follow. <paramref name="ticket"/> is the
    /// <see cref="SubscribeTicket"/> taken when the subscribe arrived, if that was before this call.
    /// </summary>
    public async Task<bool> SubscribeAsync(
        RealtimeClient client, Record? auth, IReadOnlyList<RealtimeSubscription> subscriptions, long? resumeFrom, long? ticket, CancellationToken cancellationToken)
    {
        long from;
        long upTo;

        // An id received from another node may be ahead of this one's position: the client has every entry up to it,
        // so nothing is replayed and live events start after it (if the log has it; an id it never had is a reset).
        var presented = client.Resumed ? null : resumeFrom ?? client.ResumeFrom;
        var logHead = presented > Position ? (await log.BoundsAsync(cancellationToken)).Head : 0;

        // Which writes past the head were answered before is read only where the head can lag behind them (PostgreSQL),
        // for a subscription this client does not have yet (an unsubscribe adds none), and before the turn, which the
        // dispatcher must not wait on.
        var arrived = ticket ?? _answered.Ticket;
        var answered = log.Database.Changes.Settles ? null : IdRuns.None;
        if (answered is null && presented is null && AddsTopics(client, subscriptions))
        {
            answered = await _answered.ReadAsync(arrived).WaitAsync(cancellationToken);
        }

        while (true)
        {
            await _turn.WaitAsync(cancellationToken);
            try
            {
                var resume = client.Resumed ? null : resumeFrom ?? client.ResumeFrom;
                if (resume is not null || answered is not null || !AddsTopics(client, subscriptions))
                {
                    var resumedUpTo = resume is { } at && at > Position && at <= logHead ? at : Position;
                    var live = resume is null ? LiveStart.After(Math.Max(Position, log.Database.Changes.Head), answered ?? IdRuns.None) : new LiveStart(resumedUpTo + 1);
                    if (!registry.Index.Subscribe(client, auth, subscriptions, live))
                    {
                        return false;
                    }

                    // Only the first subscribe of a connection may resume: a later one would be sent again what it already got.
                    client.Resumed = true;
                    if (resume is null)
                    {
                        return true;
                    }

                    client.HoldLive();
                    (from, upTo) = (resume.Value, resumedUpTo);
                    break;
                }
            }
            finally
            {
                _turn.Release();
            }

            // A subscription new after all: another subscribe of this client resumed or changed its topics meanwhile.
            answered = await _answered.ReadAsync(arrived).WaitAsync(cancellationToken);
        }

        _ = replay.RunAsync(client, from, upTo);
        return true;
    }

    /// <summary>Whether <paramref name="subscriptions"/> holds one the client does not have yet.</summary>
    private static bool AddsTopics(RealtimeClient client, IReadOnlyList<RealtimeSubscription> subscriptions)
    {
        if (subscriptions.Count == 0)
        {
            return false;
        }

        var current = client.Subscriptions.Select(static s => s.Raw).ToHashSet(StringComparer.Ordinal);
        return subscriptions.Any(s => !current.Contains(s.Raw));
    }

    /// <summary>
    /// After a restore, which restarted the change log past <paramref name="mark"/> with no entry up to it: the position
    /// moves there, so the reset a resuming client is sent carries an id it may resume from later.
    /// </summary>
    public async Task SkipToAsync(long mark, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            log.Database.Changes.Advance(mark);
            if (mark > Position)
            {
                Interlocked.Exchange(ref _position, mark);
            }
        }
        finally
        {
            _turn.Release();
        }
    }

    public override void Dispose()
    {
        _turn.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retry = TimeSpan.FromMilliseconds(1);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var before = Position;
                try
                {
                    await DrainAsync(stoppingToken);
                }
                catch (Exception e) when (e is DbException or ReadTimeoutException or TimeoutException)
                {
                    Log.RealtimeDispatchFailed(logger, Position, e);
                    await Task.Delay(Poll, time, stoppingToken);
                    continue;
                }

                // While the horizon waits for transactions still open (on any node), ask again soon, backing off while
                // nothing moves: they are usually committing, and the commits that append also wake this loop.
                if (log.Database.Changes.Pending)
                {
                    retry = Position > before ? TimeSpan.FromMilliseconds(1) : TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, MaxSettleRetry.Ticks));
                    await log.Database.Changes.WaitAsync(retry, stoppingToken);
                    continue;
                }

                await log.Database.Changes.WaitAsync(Poll, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // the host is stopping; the streams end with it
        }
    }

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            // Only up to the settled head: past it an id may still appear (a transaction that appended and has not
            // committed yet), and the reader never comes back for an id below its position.
            var settled = await log.Database.Changes.SettleAsync(cancellationToken);
            if (settled <= Position)
            {
                return;
            }

            if (await PassUnheardAsync(settled, cancellationToken))
            {
                return;
            }

            var entries = await log.ReadAsync(Position, settled, PageSize, cancellationToken);
            Interlocked.Add(ref _entriesRead, entries.Count);
            foreach (var entry in entries)
            {
                await _turn.WaitAsync(cancellationToken);
                try
                {
                    await DispatchAsync(entry, cancellationToken);
                }
                catch (Exception e) when (e is ApiError or DbException or ReadTimeoutException or System.Text.Json.JsonException)
                {
                    // One entry that cannot be fanned out (its row no longer decodes, a read failed) must not stop the rest.
                    Log.RealtimeDispatchFailed(logger, entry.Id, e);
                }
                finally
                {
                    // Never back: a restore may have skipped the position past this page meanwhile.
                    if (entry.Id > Position)
                    {
                        Interlocked.Exchange(ref _position, entry.Id);
                    }

                    _turn.Release();
                }
            }

            if (entries.Count < PageSize)
            {
                return;
            }
        }
    }

    /// <summary>
    /// With no client connected no entry can go anywhere: the position moves to <paramref name="settled"/> without a
    /// read, under the turn, so a client that connects meanwhile subscribes after the move (and its subscription
    /// starts past the settled head anyway), and one that resumes is replayed from the log.
    /// </summary>
    private async Task<bool> PassUnheardAsync(long settled, CancellationToken cancellationToken)
    {
        if (!registry.IsEmpty)
        {
            return false;
        }

        await _turn.WaitAsync(cancellationToken);
        try
        {
            if (!registry.IsEmpty)
            {
                return false;
            }

            if (settled > Position)
            {
                Interlocked.Exchange(ref _position, settled);
            }

            return true;
        }
        finally
        {
            _turn.Release();
        }
    }

    private async Task DispatchAsync(ChangeEntry entry, CancellationToken cancellationToken)
    {
        if (registry.IsEmpty || collections.Find(entry.CollectionId) is not { IsView: false } collection)
        {
            return;
        }

        var record = RecordSnapshot.Decode(collection, entry.Record);
        RealtimeAuthBindings.Updated(registry, entry.Action, record);
        var audiences = RealtimeAudiences.Of(registry.Index, record, entry.Id);
        if (audiences.Count > 0)
        {
            await fanout.FanOutAsync(entry.Id, entry.Action, record, audiences, static (client, frame) => client.Send(frame), cancellationToken);
        }

        RealtimeAuthBindings.Deleted(registry, entry.Action, record);
    }
}
