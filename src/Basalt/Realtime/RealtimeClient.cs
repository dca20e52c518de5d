using System.Threading.Channels;
using Basalt.Model;

namespace Basalt.Realtime;

/// <summary>
/// One SSE connection (§8): its id, the IP it connected from, the auth bound by its first authorized subscribe, its
/// subscriptions, and a bounded send queue. A client that falls a whole queue behind is closed rather than buffered
/// without bound; the SDK reconnects and re-subscribes.
/// </summary>
public sealed class RealtimeClient : IDisposable
{
    /// <summary>Messages a client may lag behind before it is dropped.</summary>
    public const int DefaultQueueCapacity = 512;

    private readonly Channel<RealtimeMessage> _queue;

    private readonly CancellationTokenSource _closed = new();
    private readonly Lock _gate = new();
    private readonly Action<RealtimeClient>? _tooSlow;
    private IReadOnlyList<RealtimeSubscription> _subscriptions = [];
    private Record? _auth;

    /// <param name="tooSlow">Called once if the client is closed for falling a whole queue behind (the registry logs it).</param>
    public RealtimeClient(string id, string ip, int queueCapacity = DefaultQueueCapacity, Action<RealtimeClient>? tooSlow = null)
    {
        Id = id;
        Ip = ip;
        QueueCapacity = queueCapacity;
        _tooSlow = tooSlow;
        _queue = Channel.CreateBounded<RealtimeMessage>(new BoundedChannelOptions(queueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>40 random alphanumeric characters.</summary>
    public string Id { get; }

    /// <summary>The client IP of the SSE request; subscribe and the OAuth2 redirect must come from the same one.</summary>
    public string Ip { get; }

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

    public int QueueCapacity { get; }

    /// <summary>Messages queued and not yet written to the connection.</summary>
    public int Queued => _queue.Reader.Count;

    /// <summary>When the client connected, for the disconnect log.</summary>
    public long ConnectedAt { get; } = System.Diagnostics.Stopwatch.GetTimestamp();

    public IReadOnlyList<RealtimeSubscription> Subscriptions => Volatile.Read(ref _subscriptions);

    /// <summary>Cancelled when the client is closed (dropped as too slow, or removed).</summary>
    public CancellationToken Closed => _closed.Token;

    public bool IsClosed => _closed.IsCancellationRequested;

    internal ChannelReader<RealtimeMessage> Reader => _queue.Reader;

    public bool HasSubscription(string topic) => Subscriptions.Any(s => s.Matches(topic));

    /// <summary>
    /// Replaces the subscriptions and binds <paramref name="auth"/>, as one step. PocketBase allows a guest client to
    /// become authorized but refuses any other change of auth: false then, and nothing changes.
    /// </summary>
    public bool TryBind(Record? auth, IReadOnlyList<RealtimeSubscription> subscriptions)
    {
        lock (_gate)
        {
            if (_auth is not null && AuthKey(_auth) != AuthKey(auth))
            {
                return false;
            }

            _auth = auth;
            Volatile.Write(ref _subscriptions, subscriptions);
            return true;
        }
    }

    /// <summary>Refreshes or drops the bound auth record (after the record changed or lost its tokens).</summary>
    public void ReplaceAuth(Record? auth)
    {
        lock (_gate)
        {
            _auth = auth;
        }
    }

    /// <summary>Queues a message; a full queue closes the client and returns false.</summary>
    public bool Send(RealtimeMessage message)
    {
        if (IsClosed)
        {
            return false;
        }

        if (_queue.Writer.TryWrite(message))
        {
            return true;
        }

        // A full queue, not a closed one: only the publisher whose TryComplete ends the queue reports it, so racing
        // publishers and a Close() in between report nothing.
        if (_queue.Writer.TryComplete())
        {
            _tooSlow?.Invoke(this);
        }

        Close();
        return false;
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

    private static string? AuthKey(Record? record) =>
        record is null ? null : record.Collection.Id + "/" + record.Id;
}
