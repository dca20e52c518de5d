using System.Data.Common;
using System.Text.Json;
using System.Threading.Channels;
using Basalt.Errors;
using Basalt.Model;
using Basalt.Storage;
using Basalt.Storage.Changes;
using Basalt.Storage.Tables;
using Microsoft.Extensions.Logging;

namespace Basalt.Realtime;

/// <summary>
/// Sends a resuming client the events it missed (Basalt's own, beyond PocketBase): the change-log entries after the
/// id it presented up to the dispatcher's position when it subscribed, each checked for this client against its
/// rules, filter and auth as they are now, in order, at the pace the connection reads; then the live frames held back
/// meanwhile. An id older than the log keeps (pruned past the retention window), or newer than any entry, gets one
/// <see cref="RealtimeTopics.Reset"/> frame instead: the client must reload.
/// </summary>
public sealed class RealtimeReplay(ChangeLogStore log, RecordEventFanout fanout, ICollectionLookup collections, ILogger<RealtimeReplay> logger)
    : IDisposable
{
    /// <summary>
    /// Replays that read the log at once, at most: any guest may ask to resume from the oldest entry kept, and each such
    /// replay reads the whole retention window, so many connections must not read it all at the same time.
    /// </summary>
    public static readonly int MaxConcurrent = Math.Max(2, Environment.ProcessorCount);

    private readonly SemaphoreSlim _running = new(MaxConcurrent, MaxConcurrent);

    public void Dispose() => _running.Dispose();

    /// <summary>Replays (<paramref name="from"/>, <paramref name="upTo"/>] to <paramref name="client"/>, then releases its held live frames.</summary>
    public async Task RunAsync(RealtimeClient client, long from, long upTo)
    {
        var cancellationToken = client.Closed;
        try
        {
            var bounds = await log.BoundsAsync(cancellationToken);
            var complete = false;
            if (from >= bounds.PrunedThrough && from <= upTo)
            {
                await _running.WaitAsync(cancellationToken);
                try
                {
                    complete = await ReplayAsync(client, from, upTo, cancellationToken);
                }
                finally
                {
                    _running.Release();
                }
            }

            if (!complete)
            {
                Log.RealtimeResumeTooOld(logger, client.Id, from, bounds.PrunedThrough);
                var data = JsonSerializer.Serialize(new ResetData(from.ToString(System.Globalization.CultureInfo.InvariantCulture)), RealtimeJsonContext.Default.ResetData);
                await client.WriteReplayedAsync(SseFrames.Event(upTo, RealtimeTopics.Reset, System.Text.Encoding.UTF8.GetBytes(data)), cancellationToken);
            }

            await client.ReleaseHeldAsync(cancellationToken);
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            // the client went away (or was dropped) during its replay
        }
        catch (Exception e) when (e is DbException or ReadTimeoutException or TimeoutException or ApiError or JsonException)
        {
            // Better no stream than one with a hole in it: the client reconnects and resumes again.
            Log.RealtimeReplayFailed(logger, client.Id, from, e);
            client.Close();
        }
    }

    /// <summary>
    /// Sends the missed events; false when entries it had not read yet were pruned meanwhile (a replay goes at the
    /// peer's pace, so a slow one may be overtaken by the pruner): the events sent so far stand, and a reset follows.
    /// </summary>
    private async Task<bool> ReplayAsync(RealtimeClient client, long from, long upTo, CancellationToken cancellationToken)
    {
        var frames = new List<byte[]>();
        var topics = client.Subscriptions.Select(static s => s.Topic).ToHashSet(StringComparer.Ordinal);
        var after = from;
        while (after < upTo)
        {
            var entries = await log.ReadAsync(after, upTo, RealtimeDispatcher.PageSize, cancellationToken);
            if ((await log.BoundsAsync(cancellationToken)).PrunedThrough > after)
            {
                return false;
            }

            if (entries.Count == 0)
            {
                return true;
            }

            foreach (var entry in entries)
            {
                after = entry.Id;
                if (collections.Find(entry.CollectionId) is not { IsView: false } collection ||
                    !RealtimeAudiences.Concern(topics, collection, entry.RecordId))
                {
                    continue;
                }

                var record = RecordSnapshot.Decode(collection, entry.Record);
                var audiences = RealtimeAudiences.Of(client, record);
                if (audiences.Count == 0)
                {
                    continue;
                }

                frames.Clear();
                await fanout.FanOutAsync(entry.Id, entry.Action, record, audiences, (_, frame) => frames.Add(frame), cancellationToken);
                foreach (var frame in frames)
                {
                    await client.WriteReplayedAsync(frame, cancellationToken);
                }
            }
        }

        return true;
    }
}
