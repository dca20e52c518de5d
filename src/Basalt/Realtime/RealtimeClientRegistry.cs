using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace Basalt.Realtime;

/// <summary>
/// This node's connected clients, by id, and their subscriptions by topic (<see cref="Index"/>). Connections add and
/// remove themselves; published messages reach clients only through <see cref="Deliver"/>, which the broker calls;
/// record events come from the change log through <see cref="RealtimeDispatcher"/>.
/// </summary>
public sealed class RealtimeClientRegistry(ILogger<RealtimeClientRegistry> logger)
{
    private const string IdAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private const int IdLength = 40;

    private readonly ConcurrentDictionary<string, RealtimeClient> _clients = new(StringComparer.Ordinal);

    /// <summary>Connected clients on this node.</summary>
    public int Count => _clients.Count;

    /// <summary>Whether no client is connected; unlike <see cref="Count"/>, takes no lock.</summary>
    public bool IsEmpty => _clients.IsEmpty;

    /// <summary>The connected clients, enumerated in place (no copy of 10,000 references for each pass over them).</summary>
    public IEnumerable<RealtimeClient> Clients => _clients.Select(static pair => pair.Value);

    public SubscriptionIndex Index { get; } = new();

    /// <summary>Frames waiting in the send queues of this node's clients, summed (read when metrics are collected).</summary>
    public int Queued
    {
        get
        {
            var queued = 0;
            foreach (var (_, client) in _clients)
            {
                queued += client.Queued;
            }

            return queued;
        }
    }

    /// <summary>Registers a new client with a fresh random id.</summary>
    public RealtimeClient Connect(string ip, int queueCapacity = RealtimeClient.DefaultQueueCapacity)
    {
        while (true)
        {
            var client = new RealtimeClient(RandomNumberGenerator.GetString(IdAlphabet, IdLength), ip, queueCapacity, TooSlow);
            if (_clients.TryAdd(client.Id, client))
            {
                Log.RealtimeClientConnected(logger, client.Id, ip, _clients.Count);
                return client;
            }
        }
    }

    public RealtimeClient? Find(string id) =>
        _clients.TryGetValue(id, out var client) && !client.IsClosed ? client : null;

    /// <summary>Forgets and closes the client; safe to call more than once.</summary>
    public void Remove(RealtimeClient client)
    {
        if (_clients.TryRemove(new KeyValuePair<string, RealtimeClient>(client.Id, client)))
        {
            var connected = Stopwatch.GetElapsedTime(client.ConnectedAt);
            Log.RealtimeClientDisconnected(logger, client.Id, connected, _clients.Count);
        }

        client.Close();
        Index.Remove(client);
    }

    /// <summary>
    /// Queues the publication on each matching client of this node, once per matching subscription and named after
    /// that subscription's exact string (the SDK listens under it). Returns the number of frames queued.
    /// </summary>
    public int Deliver(RealtimePublication publication)
    {
        if (publication.ClientId is { } id)
        {
            return Find(id) is { } target ? DeliverTo(target, publication) : 0;
        }

        var sent = 0;
        foreach (var (_, client) in _clients)
        {
            sent += DeliverTo(client, publication);
        }

        return sent;
    }

    private void TooSlow(RealtimeClient client) => Log.RealtimeClientTooSlow(logger, client.Id, client.Ip, client.QueueCapacity);

    private static int DeliverTo(RealtimeClient client, RealtimePublication publication)
    {
        if (publication.ClientIp is { } ip && !string.Equals(client.Ip, ip, StringComparison.Ordinal))
        {
            return 0;
        }

        var sent = 0;
        foreach (var subscription in client.Subscriptions)
        {
            if (subscription.Matches(publication.Topic) && client.Send(SseFrames.Message(client.Id, subscription.Raw, publication.Data)))
            {
                sent++;
            }
        }

        return sent;
    }
}
