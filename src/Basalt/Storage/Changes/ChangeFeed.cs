namespace Basalt.Storage.Changes;

/// <summary>
/// Wakes the reader of the change log when a unit that appended to it has committed (here or, through
/// <c>LISTEN/NOTIFY</c>, on another node), and says up to which id the log is settled. Pulses while nobody waits are
/// kept as one, so the one reader never misses the last one and never loops on many.
/// </summary>
/// <remarks>
/// SQLite commits in id order (one writer), so each group commit moves <see cref="Head"/> itself. On PostgreSQL an id
/// is handed out when its row is inserted, not when its transaction commits, and several nodes append at once: ids 10
/// and 11 may become visible as 11 first, and a reader that went past 11 would never see 10. There the
/// <see cref="IChangeHorizon"/> reads from the database up to which id nothing can appear any more
/// (<see cref="SettleAsync"/>), and <see cref="Head"/> only moves to what it answered.
/// </remarks>
public sealed class ChangeFeed(IChangeHorizon? horizon = null)
{
    private TaskCompletionSource _pulse = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _head;

    /// <summary>The newest id this process knows to be settled: the log's reader never goes past it.</summary>
    public long Head => Interlocked.Read(ref _head);

    /// <summary>
    /// True where the horizon settles <see cref="Head"/> (PostgreSQL): it may then lag behind writes already answered,
    /// while an older id is still open.
    /// </summary>
    public bool Settles => horizon is not null;

    /// <summary>True while the horizon has ids it could not settle yet: the reader should ask again soon.</summary>
    public bool Pending => horizon?.Pending ?? false;

    /// <summary>Says that entries up to <paramref name="committedThrough"/> are committed and may be read.</summary>
    public void Pulse(long committedThrough)
    {
        Advance(committedThrough);
        Wake();
    }

    /// <summary>Wakes the reader without moving <see cref="Head"/>: something committed, the horizon will say up to where.</summary>
    public void Wake() => Volatile.Read(ref _pulse).TrySetResult();

    /// <summary>Moves <see cref="Head"/> as far as the horizon allows (where there is one) and returns it.</summary>
    public async Task<long> SettleAsync(CancellationToken cancellationToken)
    {
        if (horizon is not null)
        {
            Advance(await horizon.SettleAsync(cancellationToken));
        }

        return Head;
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
