namespace Basalt.Backups;

/// <summary>Reports progress on the caller's thread, in order (<see cref="Progress{T}"/> posts each report to the thread pool, where they may arrive late or out of order).</summary>
internal sealed class ProgressRelay<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
