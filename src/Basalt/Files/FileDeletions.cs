using Microsoft.Extensions.Logging;

namespace Basalt.Files;

/// <summary>
/// Every delete of a stored file (after a record's commit, by the sweep) goes through here, so that a backup can hold
/// deletes back while it copies: a file its snapshot references must still be there when its turn comes, even if a
/// record update dropped it a moment after the snapshot. Held deletes run when the last hold is released; a crash
/// before that leaves only unreferenced files, which the sweep removes.
/// </summary>
public sealed class FileDeletions(ILogger<FileDeletions> logger)
{
    private readonly Lock _gate = new();
    private readonly List<(IFileStorage Storage, string Key, bool Prefix)> _held = [];
    private int _holds;

    /// <summary>True while some hold is taken.</summary>
    public bool Holding
    {
        get
        {
            lock (_gate)
            {
                return _holds > 0;
            }
        }
    }

    /// <summary>Holds deletes back until the returned value is disposed, which runs them.</summary>
    public IAsyncDisposable Hold()
    {
        lock (_gate)
        {
            _holds++;
        }

        return new Release(this);
    }

    /// <summary>Deletes the file now, or when the holds are released.</summary>
    public Task DeleteAsync(IFileStorage storage, string key, CancellationToken cancellationToken) =>
        Defer(storage, key, prefix: false) ? Task.CompletedTask : storage.DeleteAsync(key, cancellationToken);

    /// <summary>Deletes every file under the prefix now, or when the holds are released.</summary>
    public Task DeletePrefixAsync(IFileStorage storage, string prefix, CancellationToken cancellationToken) =>
        Defer(storage, prefix, prefix: true) ? Task.CompletedTask : storage.DeletePrefixAsync(prefix, cancellationToken);

    private bool Defer(IFileStorage storage, string key, bool prefix)
    {
        lock (_gate)
        {
            if (_holds == 0)
            {
                return false;
            }

            _held.Add((storage, key, prefix));
            return true;
        }
    }

    private async ValueTask ReleaseAsync()
    {
        List<(IFileStorage Storage, string Key, bool Prefix)> due;
        lock (_gate)
        {
            if (--_holds > 0)
            {
                return;
            }

            due = [.. _held];
            _held.Clear();
        }

        foreach (var (storage, key, prefix) in due)
        {
            try
            {
                await (prefix ? storage.DeletePrefixAsync(key, CancellationToken.None) : storage.DeleteAsync(key, CancellationToken.None));
            }
            catch (Exception e)
            {
                Log.FileDeleteFailed(logger, e, key);
            }
        }
    }

    private sealed class Release(FileDeletions owner) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync() => Interlocked.Exchange(ref _released, 1) == 0 ? owner.ReleaseAsync() : ValueTask.CompletedTask;
    }
}
