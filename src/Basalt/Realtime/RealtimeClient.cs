using System.Diagnostics;
using System.Threading.Channels;
using Basalt.Model;

namespace Basalt.Realtime;

/// <summary>
/// One SSE connection (§8): its id, the IP it connected from, the auth bound by its first authorized subscribe, its
/// subscriptions, and a bounded queue of encoded frames (shared by every client that gets the same event). A client
/// that falls a whole queue behind is closed (and logged) rather than buffered without bound; the SDK reconnects and,
/// with a <c>Last-Event-ID</c>, resumes. While its missed events are replayed, live frames are held back in order.
/// </summary>
public sealed class RealtimeClient : IDisposable
{
    /// <summary>Frames a client may lag behind before it is dropped.</summary>
    public const int DefaultQueueCapacity = 512;

    private readonly Channel<byte[]> _queue;
    private readonly CancellationTokenSource _closed = new();
    private readonly Lock _gate = new();
    private readonly Action<RealtimeClient>? _tooSlow;
    private IReadOnlyList<RealtimeSubscription> _subscriptions = [];
    private Record? _auth;
    private string _authKey = "";
    private List<byte[]>? _held;
    private volatile bool _holding;

    /// <param name="tooSlow">Called once if the client is closed for falling a whole queue behind (the registry logs it).</param>
    public RealtimeClient(string id, string ip, int queueCapacity = DefaultQueueCapacity, Action<RealtimeClient>? tooSlow = null)
    {
        Id = id;
        Ip = ip;
        QueueCapacity = queueCapacity;
        _tooSlow = tooSlow;
        _queue = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(queueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>40 random alphanumeric characters.</summary>
    public string Id { get; }

    /// <summary>The client IP of the SSE request; subscribe and the OAuth2 redirect must come from the same one.</summary>
    public string Ip { get; }

    public int QueueCapacity { get; }

    /// <summary>Frames queued and not yet written to the connection.</summary>
    public int Queued => _queue.Reader.Count;

    /// <summary>When the client connected, for the disconnect log.</summary>
    public long ConnectedAt { get; } = Stopwatch.GetTimestamp();

    /// <summary>The auth record bound by subscribe; null for a guest.</summary>
    public Record? Auth
    {
        get
        {
            lock (_gate)
            {
                return _auth;
            }
        }
    }

    /// <summary><c>collectionId/recordId</c> of the bound auth, "" for a guest: what groups subscribers by who they are.</summary>
    public string AuthKey => Volatile.Read(ref _authKey);

    public IReadOnlyList<RealtimeSubscription> Subscriptions => Volatile.Read(ref _subscriptions);

    /// <summary>The id the connection asked to resume after (<c>Last-Event-ID</c> on connect), until a subscribe uses it.</summary>
    public long? ResumeFrom { get; set; }

    /// <summary>Whether this connection already replayed missed events: only its first resuming subscribe does.</summary>
    public bool Resumed { get; set; }

    /// <summary>Cancelled when the client is closed (dropped as too slow, or removed).</summary>
    public CancellationToken Closed => _closed.Token;

    public bool IsClosed => _closed.IsCancellationRequested;

    internal ChannelReader<byte[]> Reader => _queue.Reader;

    public bool HasSubscription(string topic) => Subscriptions.Any(s => s.Matches(topic));

    /// <summary>
    /// Replaces the subscriptions and binds <paramref name="auth"/>, as one step. PocketBase allows a guest client to
    /// become authorized but refuses any other change of auth: false then, and nothing changes.
    /// </summary>
    public bool TryBind(Record? auth, IReadOnlyList<RealtimeSubscription> subscriptions)
    {
        lock (_gate)
        {
            if (_auth is not null && KeyOf(_auth) != KeyOf(auth))
            {
                return false;
            }

            SetAuth(auth);
            Volatile.Write(ref _subscriptions, subscriptions);
            return true;
        }
    }

    /// <summary>Refreshes or drops the bound auth record (after the record changed or lost its tokens).</summary>
    public void ReplaceAuth(Record? auth)
    {
        lock (_gate)
        {
            SetAuth(auth);
        }
    }

    /// <summary>
    /// Queues a frame, or holds it back while missed events are replayed. Never waits: a full queue (or a full hold)
    /// closes the client and returns false.
    /// </summary>
    public bool Send(byte[] frame)
    {
        if (IsClosed)
        {
            return false;
        }

        if (_holding)
        {
            lock (_gate)
            {
                if (_holding)
                {
                    if (_held!.Count < QueueCapacity)
                    {
                        _held.Add(frame);
                        return true;
                    }

                    return TooSlow();
                }
            }
        }

        return _queue.Writer.TryWrite(frame) || TooSlow();
    }

    public void Close()
    {
        _queue.Writer.TryComplete();
        try
        {
            _closed.Cancel();
        }
        catch (Exception e) when (e is AggregateException or ObjectDisposedException)
        {
            // a registration's callback threw, or a late publisher raced the connection's end: closed either way
        }
    }

    /// <summary>Closes the client; the connection that owns it calls this once it has ended.</summary>
    public void Dispose()
    {
        Close();
        _closed.Dispose();
    }

    /// <summary>From now on live frames are held back, in order, until <see cref="ReleaseHeldAsync"/>.</summary>
    internal void HoldLive()
    {
        lock (_gate)
        {
            _held = [];
            _holding = true;
        }
    }

    /// <summary>Queues a replayed frame, waiting for room: a replay goes at the pace the connection reads.</summary>
    internal ValueTask WriteReplayedAsync(byte[] frame, CancellationToken cancellationToken) => _queue.Writer.WriteAsync(frame, cancellationToken);

    /// <summary>Queues the frames held back during the replay (waiting for room), then lets live frames through again.</summary>
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
                    _holding = false;
                    return;
                }

                held = _held;
                _held = [];
            }

            foreach (var frame in held)
            {
                await _queue.Writer.WriteAsync(frame, cancellationToken);
            }
        }
    }

    private bool TooSlow()
    {
        // Only the sender whose TryComplete ends the queue reports it, so racing senders and a Close() report nothing.
        if (_queue.Writer.TryComplete())
        {
            _tooSlow?.Invoke(this);
        }

        Close();
        return false;
    }

    private void SetAuth(Record? auth)
    {
        _auth = auth;
        Volatile.Write(ref _authKey, KeyOf(auth) ?? "");
    }

    private static string? KeyOf(Record? record) =>
        record is null ? null : record.Collection.Id + "/" + record.Id;
}
