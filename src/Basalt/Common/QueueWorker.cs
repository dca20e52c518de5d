using System.Threading.Channels;
using Microsoft.Extensions.Hosting;

namespace Basalt.Common;

/// <summary>
/// A background loop fed by a bounded in-memory queue that requests drop work into without waiting: when the queue is
/// full the work is refused (the caller logs it), and a graceful shutdown stops taking work and lets the loop finish
/// what is queued until the host's shutdown timeout runs out.
/// </summary>
public abstract class QueueWorker<T> : BackgroundService
{
    protected QueueWorker(int capacity) =>
        Queue = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Items waiting (including the one being worked on, until it is read).</summary>
    public int Count => Queue.Reader.Count;

    protected Channel<T> Queue { get; }

    /// <summary>True once the host is stopping: a refused item is then not a full queue.</summary>
    protected bool Stopping { get; private set; }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        Stopping = true;
        Queue.Writer.TryComplete();
        if (ExecuteTask is { } loop)
        {
            try
            {
                await loop.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                DrainTimedOut(Queue.Reader.Count);
            }
        }

        await base.StopAsync(cancellationToken);
    }

    /// <summary>The shutdown timeout ran out with <paramref name="left"/> items not done.</summary>
    protected abstract void DrainTimedOut(int left);
}
