using Microsoft.Extensions.Hosting;

namespace Basalt.Realtime;

/// <summary>
/// Closes the connections that have been idle (no frame sent) or open too long (§8.1: 5 minutes idle, 30 minutes in
/// all by default), every <see cref="Period"/>: one pass over this node's clients instead of two timers per connection.
/// </summary>
public sealed class RealtimeSweeper(RealtimeClientRegistry registry, TimeProvider time) : BackgroundService
{
    /// <summary>How late past its deadline a connection may be closed.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = time.GetTimestamp();
                foreach (var client in registry.Clients)
                {
                    if (client.IsExpired(now))
                    {
                        client.Close();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // the host is stopping; the streams end with it
        }
    }
}
