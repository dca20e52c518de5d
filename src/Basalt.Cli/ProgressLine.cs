using System.Diagnostics;
using System.Globalization;
using Basalt.Backups;
using Basalt.PocketBaseImport;

namespace Basalt.Cli;

/// <summary>
/// The progress of an import, export, backup or restore on standard error: one line per phase with the share done, the
/// rate and the time left, redrawn in place on a terminal and printed every few seconds (and at the end of each phase)
/// when redirected.
/// </summary>
internal sealed class ProgressLine(TextWriter error, bool terminal) : IProgress<BackupProgress>
{
    private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(2);

    private string _phase = "";
    private long _phaseStarted;
    private long _lastPrinted;
    private int _width;

    public void Report(ImportProgress progress)
    {
        var now = Stopwatch.GetTimestamp();
        if (progress.Phase != _phase)
        {
            End();
            _phase = progress.Phase;
            _phaseStarted = now;
            _lastPrinted = 0;
        }

        var done = progress.Done >= progress.Total;
        if (!terminal && !done && _lastPrinted != 0 && Stopwatch.GetElapsedTime(_lastPrinted, now) < LogInterval)
        {
            return;
        }

        _lastPrinted = now;
        var line = Describe(progress, Stopwatch.GetElapsedTime(_phaseStarted, now));
        if (terminal)
        {
            error.Write("\r" + line.PadRight(_width));
            _width = line.Length;
        }
        else
        {
            error.WriteLine(line);
        }
    }

    /// <summary>A backup's stages count bytes (verify), files, or thousandths of the database copied.</summary>
    public void Report(BackupProgress value) => Report(new ImportProgress(value.Stage, value.Done, value.Total, value.Stage switch
    {
        "verify" => "bytes",
        "files" => "files",
        _ => "",
    }));

    /// <summary>Ends the line of the current phase on a terminal.</summary>
    public void End()
    {
        if (terminal && _width > 0)
        {
            error.WriteLine();
            _width = 0;
        }
    }

    private static string Describe(ImportProgress progress, TimeSpan elapsed)
    {
        var share = progress.Total > 0 ? 100.0 * progress.Done / progress.Total : 100;
        var rate = elapsed.TotalSeconds > 0.05 ? progress.Done / elapsed.TotalSeconds : 0;
        var eta = rate > 0 ? TimeSpan.FromSeconds((progress.Total - progress.Done) / rate) : (TimeSpan?)null;
        var bytes = progress.Unit == "bytes";
        if (progress.Unit.Length == 0)
        {
            var remaining = share > 0 ? TimeSpan.FromSeconds(elapsed.TotalSeconds * (100 - share) / share) : (TimeSpan?)null;
            return string.Create(CultureInfo.InvariantCulture, $"{progress.Phase}: {share:0}%, {Left(remaining)}");
        }

        var amount = bytes
            ? $"{Mib(progress.Done)}/{Mib(progress.Total)} MiB"
            : $"{progress.Done.ToString("N0", CultureInfo.InvariantCulture)}/{progress.Total.ToString("N0", CultureInfo.InvariantCulture)} {progress.Unit}";
        var speed = bytes ? $"{Mib((long)rate)} MiB/s" : $"{rate.ToString("N0", CultureInfo.InvariantCulture)} {progress.Unit}/s";
        return string.Create(CultureInfo.InvariantCulture, $"{progress.Phase}: {amount} ({share:0}%), {speed}, {Left(eta)}");
    }

    private static string Left(TimeSpan? eta) => eta is { } e ? $"ETA {(int)e.TotalMinutes}:{e.Seconds:00}" : "ETA --:--";

    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture);
}
