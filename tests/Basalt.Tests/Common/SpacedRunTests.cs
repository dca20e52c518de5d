using Basalt.Common;

namespace Basalt.Tests.Common;

/// <summary>
/// The scheduling behind the collection miss check (any client can cause a miss with a random name): callers share
/// runs, and a run slower than the spacing delays the next one instead of starting another beside it, so a flood of
/// misses against a slow database holds one read at a time and no growing queue of them.
/// </summary>
public sealed class SpacedRunTests
{
    private readonly SteppedClock _clock = new();
    private readonly List<TaskCompletionSource> _runs = [];
    private int _running;
    private int _mostAtOnce;

    [Fact(Timeout = 30_000)]
    public async Task A_run_slower_than_the_spacing_holds_the_next_back_and_every_caller_meanwhile_shares_one()
    {
        var spaced = new SpacedRun(RunAsync, TimeSpan.FromMilliseconds(50), _clock);
        var first = spaced.Next();
        await StartedAsync(1);

        // Long past the spacing while the first run still reads: the callers now wait for one run, not yet started.
        _clock.Advance(TimeSpan.FromSeconds(1));
        var second = spaced.Next();
        var flood = Enumerable.Range(0, 100).Select(_ => spaced.Next()).ToList();
        Assert.All(flood, next => Assert.Same(second, next));
        Assert.False(await StartsWithinAsync(2, TimeSpan.FromMilliseconds(300)));

        Finish(0);
        await first;
        await StartedAsync(2);
        Assert.Equal(1, _mostAtOnce);

        // A caller asking while the second run is under way waits for a third, which keeps its distance.
        var third = spaced.Next();
        Assert.NotSame(second, third);
        Finish(1);
        await second;
        Assert.False(await StartsWithinAsync(3, TimeSpan.FromMilliseconds(300)));
        _clock.Advance(TimeSpan.FromMilliseconds(50));
        await StartedAsync(3);
        Finish(2);
        await third;
        Assert.Equal(1, _mostAtOnce);
    }

    private Task RunAsync()
    {
        var run = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_runs)
        {
            _runs.Add(run);
            _mostAtOnce = Math.Max(_mostAtOnce, ++_running);
        }

        return run.Task.ContinueWith(
            _ =>
            {
                lock (_runs)
                {
                    _running--;
                }
            },
            TaskScheduler.Default);
    }

    private void Finish(int index)
    {
        lock (_runs)
        {
            _runs[index].SetResult();
        }
    }

    private async Task StartedAsync(int count)
    {
        while (!await StartsWithinAsync(count, TimeSpan.FromSeconds(5)))
        {
        }
    }

    private async Task<bool> StartsWithinAsync(int count, TimeSpan wait)
    {
        var until = DateTime.UtcNow + wait;
        while (DateTime.UtcNow < until)
        {
            lock (_runs)
            {
                if (_runs.Count >= count)
                {
                    return true;
                }
            }

            await Task.Delay(10);
        }

        return false;
    }
}
