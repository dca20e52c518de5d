namespace Basalt.Storage.Changes;

/// <summary>
/// Wakes the reader of the change log when a unit that appended to it has committed, and says up to which id the log is
/// settled. In-process today (the database pulses it after each such commit); a PostgreSQL <c>LISTEN</c> would pulse
/// it for another node's commits. Pulses while nobody waits are kept as one, so the one reader never misses the last
/// one and never loops on many.
/// </summary>
/// <remarks>
/// Where several transactions append at once (PostgreSQL), an id is handed out when its row is inserted, not when its
/// transaction commits: ids 10 and 11 may become visible as 11 first, and a reader that went past 11 would never see
/// 10. Serializing the commits would cost every concurrent write its own WAL flush (about a tenth of the throughput at
/// 16 writers, bench/changelog-order.sh). Instead each append is tracked from before its insert until its commit or
/// rollback (<see cref="BeginAppend"/>, <see cref="EndAppend"/>), and <see cref="Head"/> stays below every append still
/// open, so the reader only reads ids that can no longer appear. Two writes of the same row still get ids in commit
/// order (the second waits for the first's row lock before it appends), and a write that began after another was
/// acknowledged gets a larger id, so id order is commit order wherever one write could have seen the other.
/// </remarks>
public sealed class ChangeFeed
{
    private readonly Dictionary<long, int> _open = [];
    private TaskCompletionSource _pulse = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _head;
    private long _allocated;

    /// <summary>The newest id this process knows to be committed (what a new subscription starts after).</summary>
    public long Head => Interlocked.Read(ref _head);

    /// <summary>Says that entries up to <paramref name="committedThrough"/> are committed and may be read.</summary>
    public void Pulse(long committedThrough)
    {
        Advance(committedThrough);
        Volatile.Read(ref _pulse).TrySetResult();
    }

    /// <summary>
    /// Says that a transaction is about to append: until its <see cref="EndAppend"/>, <see cref="Head"/> stays at or
    /// below the returned floor, the newest id handed out before it (the ids it gets are larger).
    /// </summary>
    public long BeginAppend()
    {
        lock (_open)
        {
            var floor = _allocated;
            _open[floor] = _open.GetValueOrDefault(floor) + 1;
            return floor;
        }
    }

    /// <summary>The append begun at <paramref name="floor"/> was given ids up to <paramref name="newest"/>.</summary>
    public void Allocated(long newest)
    {
        lock (_open)
        {
            _allocated = Math.Max(_allocated, newest);
        }
    }

    /// <summary>
    /// The transaction of the append begun at <paramref name="floor"/> committed or rolled back: moves <see cref="Head"/>
    /// to just below the oldest append still open (or to the newest id handed out, when none is) and wakes the reader.
    /// </summary>
    public void EndAppend(long floor)
    {
        long settled;
        lock (_open)
        {
            if (_open[floor] == 1)
            {
                _open.Remove(floor);
            }
            else
            {
                _open[floor]--;
            }

            settled = _open.Count == 0 ? _allocated : _open.Keys.Min();
        }

        Pulse(settled);
    }

    /// <summary>Moves <see cref="Head"/> forward (never back), e.g. to the log's head read at start-up.</summary>
    public void Advance(long committedThrough)
    {
        lock (_open)
        {
            _allocated = Math.Max(_allocated, committedThrough);
        }

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
