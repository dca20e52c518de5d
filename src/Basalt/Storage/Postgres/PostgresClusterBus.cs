using System.Globalization;
using Basalt.Storage.Changes;
using Basalt.Storage.Cluster;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Basalt.Storage.Postgres;

/// <summary>
/// Signals between the nodes of one PostgreSQL database with <c>LISTEN/NOTIFY</c>: one dedicated connection per node
/// listens (<c>.Listen.cs</c>), and signals go out on pooled connections. Every payload starts with the sender's node id,
/// so a node ignores its own. Change-log commits are not signalled inside the writing transaction: a transaction that
/// notifies takes a lock at commit that serializes every such commit (each would wait for its own WAL flush). They are
/// signalled right after commit instead, coalesced (one <c>pg_notify</c> covers every commit that ended before it was
/// sent); a node that dies between its commit and its signal costs the others at most their poll interval.
/// </summary>
public sealed partial class PostgresClusterBus : IClusterBus, IAsyncDisposable
{
    private static readonly string[] Channels = ["basalt_changes", "basalt_caches", "basalt_realtime", "basalt_subscribe", "basalt_subscribed"];

    private readonly NpgsqlDataSource _writes;
    private readonly string _listenConnectionString;
    private readonly ChangeFeed _changes;
    private readonly ILogger _logger;
    private readonly Dictionary<ClusterChannel, List<Action<string>>> _handlers = [];
    private readonly SemaphoreSlim _committed = new(0, 1);
    private CancellationTokenSource? _stopping;
    private Task _listening = Task.CompletedTask;
    private Task _notifying = Task.CompletedTask;
    private long _newestCommitted;
    private volatile bool _listeningNow;
    private volatile bool _leader;

    internal PostgresClusterBus(NpgsqlDataSource writes, string listenConnectionString, ChangeFeed changes, ILogger logger)
    {
        _writes = writes;
        _listenConnectionString = listenConnectionString;
        _changes = changes;
        _logger = logger;
    }

    public string NodeId { get; } = ClusterNodeIds.New();

    public bool Shared => true;

    public bool Listening => _listeningNow;

    public bool IsLeader => _listeningNow && _leader;

    public async Task SendAsync(ClusterChannel channel, string payload, CancellationToken cancellationToken)
    {
        await using var connection = await _writes.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT pg_notify($1, $2)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = Channels[(int)channel] });
        command.Parameters.Add(new NpgsqlParameter { Value = NodeId + " " + payload });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public void Subscribe(ClusterChannel channel, Action<string> handler)
    {
        lock (_handlers)
        {
            if (!_handlers.TryGetValue(channel, out var list))
            {
                _handlers[channel] = list = [];
            }

            list.Add(handler);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _stopping = new CancellationTokenSource();
        _listening = ListenAsync(_stopping.Token);
        _notifying = NotifyCommitsAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping is null)
        {
            return;
        }

        await _stopping.CancelAsync();
        await Task.WhenAll(_listening, _notifying).WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _stopping?.Dispose();
        _committed.Dispose();
    }

    /// <summary>Says that this node committed entries up to <paramref name="newest"/>; the signal follows shortly.</summary>
    internal void Committed(long newest)
    {
        var seen = Interlocked.Read(ref _newestCommitted);
        while (newest > seen)
        {
            var before = Interlocked.CompareExchange(ref _newestCommitted, newest, seen);
            if (before == seen)
            {
                break;
            }

            seen = before;
        }

        if (_committed.CurrentCount == 0)
        {
            try
            {
                _committed.Release();
            }
            catch (SemaphoreFullException)
            {
                // another commit already woke the sender; its signal covers this one
            }
        }
    }

    private async Task NotifyCommitsAsync(CancellationToken stoppingToken)
    {
        var sent = 0L;
        try
        {
            while (true)
            {
                await _committed.WaitAsync(stoppingToken);
                var newest = Interlocked.Read(ref _newestCommitted);
                if (newest <= sent)
                {
                    continue;
                }

                try
                {
                    await SendAsync(ClusterChannel.Changes, newest.ToString(CultureInfo.InvariantCulture), stoppingToken);
                    sent = newest;
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
                {
                    // The others poll the log; a lost signal only delays them.
                    Log.ClusterSignalFailed(_logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // the host is stopping
        }
    }

    private void Raise(ClusterChannel channel, string payload)
    {
        Action<string>[] handlers;
        lock (_handlers)
        {
            handlers = _handlers.TryGetValue(channel, out var list) ? [.. list] : [];
        }

        foreach (var handler in handlers)
        {
            try
            {
                handler(payload);
            }
            catch (Exception e)
            {
                // A follower that fails must not stop the listener (and with it every other follower).
                Log.ClusterHandlerFailed(_logger, channel.ToString(), e);
            }
        }
    }
}
