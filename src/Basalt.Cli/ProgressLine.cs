using System.Diagnostics;
using Basalt.Backups;

namespace Basalt.Cli;

/// <summary>
/// The progress of a backup or restore on standard error: one line per stage, redrawn in place, with a bar, the
/// percentage and an ETA from the stage's pace so far (at most ten redraws a second).
/// </summary>
internal sealed class ProgressLine(TextWriter error) : IProgress<BackupProgress>
{
    private const int BarWidth = 30;
    private string? _stage;
    private long _stageStarted;
    private long _lastDrawn;

    public void Report(BackupProgress value)
    {
        var now = Stopwatch.GetTimestamp();
        if (value.Stage != _stage)
        {
            if (_stage is not null)
            {
                error.WriteLine();
            }

            _stage = value.Stage;
            _stageStarted = now;
        }
        else if (value.Done < value.Total && Stopwatch.GetElapsedTime(_lastDrawn, now) < TimeSpan.FromMilliseconds(100))
        {
            return;
        }

        _lastDrawn = now;
        var fraction = value.Total <= 0 ? 1 : Math.Clamp((double)value.Done / value.Total, 0, 1);
        var filled = (int)(fraction * BarWidth);
        var elapsed = Stopwatch.GetElapsedTime(_stageStarted, now);
        var eta = fraction is > 0 and < 1 ? TimeSpan.FromSeconds(elapsed.TotalSeconds * (1 - fraction) / fraction) : TimeSpan.Zero;
        error.Write($"\r{value.Stage,-8} [{new string('#', filled)}{new string('.', BarWidth - filled)}] {fraction,4:P0}  ETA {eta:hh\\:mm\\:ss}");
        if (fraction >= 1)
        {
            error.Write("  done");
        }

        error.Flush();
    }
}
