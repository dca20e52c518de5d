namespace Basalt.Storage.Changes;

/// <summary>
/// Wakes the reader of the change log when a unit that appended to it has committed. In-process today (the database
/// pulses it after each such commit); a PostgreSQL <c>LISTEN</c> would pulse it for another node's commits. Pulses
/// while nobody waits are kept as one, so the one reader never misses the last one and never loops on many.
/// </summary>
public sealed class ChangeFeed
{
    private TaskCompletionSource _pulse = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _head;

    /// <summary>The newest id this process knows to be committed (what a new subscription starts after).</summary>
    public long Head => Interlocked.Read(ref _head);

    /// <summary>Says that entries up to <paramref name="committedThrough"/> are committed and may be read.</summary>
    public void Pulse(long committedThrough)
    {
        Advance(committedThrough);
        Volatile.Read(ref _pulse).TrySetResult();
    }

    /// <summary>Moves <see cref="Head"/> forward (never back), e.g. to the log's head read at start-up.</summary>
    public void Advance(long committedThrough)
    {
        var head = Interlocked.Read(ref _head);
        while (committedThrough > head)
        {
            var seen = Interlocked.CompareExchange(ref _head, committedThrough, head);
            if (seen == head)
            {
                return;
            }

            head = seen;
        }
    }

    /// <summary>
    /// Waits for a pulse, at most <paramref name="timeout"/>; true when pulsed. The caller reads the log after this
    /// returns, so a pulse that lands between the wake and the reset is covered by that read.
    /// </summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var pulse = Volatile.Read(ref _pulse);
        try
        {
            await pulse.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            return false;
        }

        Interlocked.CompareExchange(ref _pulse, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), pulse);
        return true;
    }
}
