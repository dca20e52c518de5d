using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Basalt.Storage.Sqlite;

/// <summary>
/// Open read-only connections to the database file. WAL lets readers run beside the writer, each on its own
/// snapshot; keeping them open avoids re-running the PRAGMAs on every read.
/// </summary>
internal sealed class SqliteReaderPool : IDisposable
{
    private readonly Func<SqliteConnection> _open;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentBag<SqliteConnection> _idle = [];

    public SqliteReaderPool(int size, Func<SqliteConnection> open)
    {
        _open = open;
        _slots = new SemaphoreSlim(size, size);
    }

    public async Task<T> RunAsync<T>(Func<SqliteConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        SqliteConnection? connection = null;
        try
        {
            connection = _idle.TryTake(out var idle) ? idle : _open();
            var result = await work(connection, cancellationToken);
            _idle.Add(connection);
            connection = null;
            return result;
        }
        finally
        {
            // A connection whose work threw may hold an open reader or a half-read statement; drop it rather than reuse it.
            connection?.Dispose();
            _slots.Release();
        }
    }

    public void Dispose()
    {
        while (_idle.TryTake(out var connection))
        {
            connection.Dispose();
        }

        _slots.Dispose();
    }
}
