using System.Collections.Concurrent;
using System.Diagnostics;
using Basalt.Common;
using Microsoft.Data.Sqlite;

namespace Basalt.Storage.Sqlite;

/// <summary>
/// Open read-only connections to the database file. WAL lets readers run beside the writer, each on its own
/// snapshot; keeping them open avoids re-running the PRAGMAs on every read. Cancelling a read's token interrupts its
/// connection (<c>sqlite3_interrupt</c>): Microsoft.Data.Sqlite only checks the token between rows, so a statement
/// that sorts or counts a large result would otherwise run to its end.
/// </summary>
internal sealed class SqliteReaderPool : IDisposable
{
    private readonly Func<SqliteConnection> _open;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentBag<SqliteConnection> _idle = [];

    public SqliteReaderPool(int size, Func<SqliteConnection> open)
    {
        _open = open;
        Size = size;
        _slots = new SemaphoreSlim(size, size);
    }

    public int Size { get; }

    /// <summary>Readers running a read now (a metrics gauge).</summary>
    public int Busy => Size - _slots.CurrentCount;

    public async Task<T> RunAsync<T>(Func<SqliteConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        using var span = BasaltTracing.Source.StartActivity("sqlite read", ActivityKind.Client);
        span?.SetTag("db.system", "sqlite");
        var waiting = Stopwatch.GetTimestamp();
        await _slots.WaitAsync(cancellationToken);
        BasaltMetrics.ReaderWait.Record(Stopwatch.GetElapsedTime(waiting).TotalSeconds);
        SqliteConnection? connection = null;
        try
        {
            connection = _idle.TryTake(out var idle) ? idle : _open();
            T result;
            var interrupt = cancellationToken.Register(static c => SQLitePCL.raw.sqlite3_interrupt(((SqliteConnection)c!).Handle), connection);
            try
            {
                result = await work(connection, cancellationToken);
            }
            finally
            {
                // Waits for a running interrupt, so none can reach the connection once another read owns it.
                await interrupt.DisposeAsync();
            }

            if (cancellationToken.IsCancellationRequested)
            {
                // An interrupt may have landed after the last statement; a fresh connection carries no such state.
                return result;
            }

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
