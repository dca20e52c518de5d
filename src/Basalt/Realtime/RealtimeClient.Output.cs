using System.Buffers;
using System.IO.Pipelines;

namespace Basalt.Realtime;

/// <summary>
/// The sending side of a client. A frame is written to the connection's pipe and flushed right away, on the sender's
/// thread: for a connection that keeps up the flush completes at once (the transport sends in the background), so an
/// event costs no task, queue or wake-up per subscriber. A flush that does not complete (the peer reads slower than we
/// write) puts later frames in a backlog, written when it completes; a full backlog closes the client. While missed
/// events are replayed, live frames are held back and sent after them, in order.
/// </summary>
public sealed partial class RealtimeClient
{
    private PipeWriter? _output;
    private bool _flushing;
    private Queue<byte[]>? _backlog;
    private List<byte[]>? _held;
    private TaskCompletionSource? _room;

    /// <summary>Frames waiting for the connection (a backlog behind a slow flush, or held during a replay).</summary>
    public int Queued
    {
        get
        {
            lock (_gate)
            {
                return (_backlog?.Count ?? 0) + (_held?.Count ?? 0);
            }
        }
    }

    /// <summary>Starts writing to the connection: PB_CONNECT, then whatever was sent before.</summary>
    public void Attach(PipeWriter output)
    {
        lock (_gate)
        {
            if (IsClosed)
            {
                return;
            }

            _output = output;
            if (Put(SseStream.Connect(Id)) && Flush())
            {
                Drain();
            }
        }
    }

    /// <summary>Stops all writing; the connection's request calls this before it ends, so nothing writes to a finished response.</summary>
    public void Detach()
    {
        lock (_gate)
        {
            _output?.CancelPendingFlush();
            _output = null;
        }

        Close();
    }

    /// <summary>Sends a frame, or holds it back during a replay. Never waits: a full backlog closes the client and returns false.</summary>
    public bool Send(byte[] frame)
    {
        lock (_gate)
        {
            if (IsClosed)
            {
                return false;
            }

            if (_held is not null)
            {
                if (_held.Count < QueueCapacity)
                {
                    _held.Add(frame);
                    return true;
                }

                return TooSlow();
            }

            return Write(frame);
        }
    }

    public void Close()
    {
        TaskCompletionSource? room;
        lock (_gate)
        {
            if (IsClosed)
            {
                return;
            }

            Volatile.Write(ref _isClosed, true);
            _output?.CancelPendingFlush();
            room = _room;
            _room = null;
            try
            {
                _closed?.Cancel();
            }
            catch (Exception e) when (e is AggregateException or ObjectDisposedException)
            {
                // a registration's callback threw, or a late publisher raced the connection's end: closed either way
            }
        }

        room?.TrySetResult();
        _completion.TrySetResult();
    }

    /// <summary>From now on live frames are held back, in order, until <see cref="ReleaseHeldAsync"/>.</summary>
    internal void HoldLive()
    {
        lock (_gate)
        {
            _held ??= [];
        }
    }

    /// <summary>Sends a replayed frame past the held ones, waiting while the backlog is full: a replay goes at the pace the peer reads.</summary>
    internal async Task WriteReplayedAsync(byte[] frame, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task room;
            lock (_gate)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (IsClosed)
                {
                    throw new OperationCanceledException("The client is closed.");
                }

                if ((_backlog?.Count ?? 0) < QueueCapacity)
                {
                    Write(frame);
                    return;
                }

                _room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                room = _room.Task;
            }

            await room.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Sends the frames held back during the replay, then lets live frames through again.</summary>
    internal async Task ReleaseHeldAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            List<byte[]> held;
            lock (_gate)
            {
                if (_held is not { Count: > 0 })
                {
                    _held = null;
                    return;
                }

                held = _held;
                _held = [];
            }

            foreach (var frame in held)
            {
                await WriteReplayedAsync(frame, cancellationToken);
            }
        }
    }

    /// <summary>Writes and flushes now if the connection keeps up, else queues behind the pending flush. Under the gate.</summary>
    private bool Write(byte[] frame)
    {
        if (_output is null || _flushing || _backlog is { Count: > 0 })
        {
            _backlog ??= new Queue<byte[]>();
            if (_backlog.Count >= QueueCapacity)
            {
                return TooSlow();
            }

            _backlog.Enqueue(frame);
            return true;
        }

        return Put(frame) && Flush();
    }

    /// <summary>Copies a frame into the connection's pipe; false (and closed) when the connection can take no more. Under the gate.</summary>
    private bool Put(byte[] frame)
    {
        try
        {
            _output!.Write(frame);
            return true;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or ObjectDisposedException)
        {
            Close();
            return false;
        }
    }

    /// <summary>Flushes; false when the connection is over. A flush that does not complete now is awaited off the sender. Under the gate.</summary>
    private bool Flush()
    {
        ValueTask<FlushResult> flush;
        try
        {
            flush = _output!.FlushAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or ObjectDisposedException)
        {
            Close();
            return false;
        }

        if (!flush.IsCompleted)
        {
            _flushing = true;
            _ = AwaitFlushAsync(flush);
            return true;
        }

        FlushResult result;
        try
        {
            result = flush.Result;
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or IOException or ObjectDisposedException)
        {
            Close();
            return false;
        }

        return Flushed(result);
    }

    private bool Flushed(FlushResult result)
    {
        if (result.IsCanceled || result.IsCompleted)
        {
            Close();
            return false;
        }

        Sent();
        return true;
    }

    private async Task AwaitFlushAsync(ValueTask<FlushResult> flush)
    {
        FlushResult result;
        try
        {
            result = await flush;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            Close();
            return;
        }

        lock (_gate)
        {
            _flushing = false;
            if (_output is not null && Flushed(result))
            {
                Drain();
            }
        }
    }

    /// <summary>Writes the backlog out, flush by flush, while flushes complete at once; then wakes a waiting replay. Under the gate.</summary>
    private void Drain()
    {
        while (_backlog is { Count: > 0 } && !_flushing && _output is not null)
        {
            while (_backlog.TryDequeue(out var frame))
            {
                if (!Put(frame))
                {
                    return;
                }
            }

            if (!Flush())
            {
                return;
            }
        }

        if (!_flushing && _room is { } room)
        {
            _room = null;
            room.TrySetResult();
        }
    }

    private bool TooSlow()
    {
        if (!IsClosed)
        {
            _tooSlow?.Invoke(this);
        }

        Close();
        return false;
    }
}
