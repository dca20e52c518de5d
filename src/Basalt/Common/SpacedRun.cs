namespace Basalt.Common;

/// <summary>
/// A piece of work any caller may ask for, run shared and spaced: a caller waits for the next run that starts after it
/// asked (never one already under way), every caller asking meanwhile shares that run, a run starts only once the one
/// before it has finished and at least <c>spacing</c> after it started. So at most one run is under way and one waits,
/// however many callers ask and however slow a run is: a run slower than the spacing delays the next, never piles up.
/// </summary>
public sealed class SpacedRun(Func<Task> run, TimeSpan spacing, TimeProvider time)
{
    private readonly Lock _gate = new();
    private Task? _pending;
    private Task _latest = Task.CompletedTask;
    private long _lastStart = long.MinValue;

    /// <summary>The next run that starts from now on: the one already waiting to start, or a new one.</summary>
    public Task Next()
    {
        lock (_gate)
        {
            if (_pending is { } waiting)
            {
                return waiting;
            }

            var next = RunAfterAsync(_latest);
            _pending = next;
            _latest = next;
            return next;
        }
    }

    private async Task RunAfterAsync(Task previous)
    {
        // Always yields first, so the run never starts inside Next's lock; a failed run is its own callers' business.
        await previous.ConfigureAwait(ConfigureAwaitOptions.ForceYielding | ConfigureAwaitOptions.SuppressThrowing);
        var delay = _lastStart == long.MinValue
            ? TimeSpan.Zero
            : spacing - time.GetElapsedTime(_lastStart);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, time);
        }

        // From here on this run may have read too early for a caller that asks now: that one waits for the next.
        lock (_gate)
        {
            _pending = null;
            _lastStart = time.GetTimestamp();
        }

        await run();
    }
}
