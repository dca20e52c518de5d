using System.Net.Sockets;
using Basalt.Storage.Cluster;
using Npgsql;

namespace Basalt.Storage.Postgres;

/// <summary>The listening side: one connection of its own, re-opened with backoff when it breaks.</summary>
public sealed partial class PostgresClusterBus
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    // The session-level advisory lock whose holder runs scheduled work; a lock key of Basalt's own.
    private const long LeaderLockKey = 7283402;

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_listenConnectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => OnNotification(e.Channel, e.Payload);
                await using (var listen = new NpgsqlCommand(string.Concat(Channels.Select(c => "LISTEN " + c + ";")), connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                _listeningNow = true;
                await TryLeadAsync(connection, stoppingToken);
                backoff = TimeSpan.FromMilliseconds(100);
                Log.ClusterListening(_logger, NodeId);

                // Whatever was sent while nobody listened is read from the database now.
                Resync();
                while (true)
                {
                    if (!await connection.WaitAsync(IClusterBus.SafetyInterval, stoppingToken))
                    {
                        await TryLeadAsync(connection, stoppingToken);
                        Resync();
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is NpgsqlException or SocketException or IOException or TimeoutException or InvalidOperationException)
            {
                if (_listeningNow)
                {
                    Log.ClusterListenerLost(_logger, e);
                }

                _listeningNow = false;
                _leader = false;
            }

            try
            {
                await Task.Delay(backoff, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }

        _listeningNow = false;
        _leader = false;
    }

    /// <summary>Takes the leader lock if no other node holds it; held with this connection, it ends with it.</summary>
    private async Task TryLeadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (_leader)
        {
            return;
        }

        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = LeaderLockKey });
        _leader = await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    private void Resync()
    {
        _changes.Wake();
        Raise(ClusterChannel.Resync, "");
    }

    private void OnNotification(string channel, string payload)
    {
        var space = payload.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0 || payload.AsSpan(0, space).SequenceEqual(NodeId))
        {
            return;
        }

        var index = Array.IndexOf(Channels, channel);
        if (index < 0)
        {
            return;
        }

        var kind = (ClusterChannel)index;
        if (kind == ClusterChannel.Changes)
        {
            _changes.Wake();
        }

        Raise(kind, payload[(space + 1)..]);
    }
}
