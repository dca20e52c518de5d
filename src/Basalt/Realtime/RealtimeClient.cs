using System.Diagnostics;
using Basalt.Model;

namespace Basalt.Realtime;

/// <summary>
/// One SSE connection (§8): its id, the IP it connected from, the auth bound by its first authorized subscribe, its
/// subscriptions, its idle and lifetime clocks, and its output (<c>RealtimeClient.Output.cs</c>): frames are written
/// straight to the connection by whoever sends them, and only a connection that is not keeping up gets a backlog, of
/// at most <see cref="QueueCapacity"/> frames, past which it is closed (and logged) rather than buffered without
/// bound; the SDK reconnects and, with a <c>Last-Event-ID</c>, resumes.
/// </summary>
public sealed partial class RealtimeClient : IDisposable
{
    /// <summary>Frames a client may lag behind before it is dropped.</summary>
    public const int DefaultQueueCapacity = 512;

    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private readonly Action<RealtimeClient>? _tooSlow;
    private IReadOnlyList<RealtimeSubscription> _subscriptions = [];
    private Record? _auth;
    private string _authKey = "";
    private TimeProvider _time = TimeProvider.System;
    private long _idleTicks = long.MaxValue;
    private long _idleDeadline = long.MaxValue;
    private long _endOfLife = long.MaxValue;
    private CancellationTokenSource? _closed;
    private bool _isClosed;

    /// <param name="tooSlow">Called once if the client is closed for falling a whole queue behind (the registry logs it).</param>
    public RealtimeClient(string id, string ip, int queueCapacity = DefaultQueueCapacity, Action<RealtimeClient>? tooSlow = null)
    {
        Id = id;
        Ip = ip;
        QueueCapacity = queueCapacity;
        _tooSlow = tooSlow;
    }

    /// <summary>40 random alphanumeric characters.</summary>
    public string Id { get; }

    /// <summary>The client IP of the SSE request; subscribe and the OAuth2 redirect must come from the same one.</summary>
    public string Ip { get; }

    public int QueueCapacity { get; }

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

    /// <summary>Whether this connection has subscribed: only its first subscribe may replay missed events.</summary>
    public bool Resumed { get; set; }

    /// <summary>
    /// Cancelled when the client is closed (timed out, dropped as too slow, gone, or removed); made on first use, since
    /// only a replay needs it.
    /// </summary>
    public CancellationToken Closed
    {
        get
        {
            lock (_gate)
            {
                _closed ??= new CancellationTokenSource();
                if (_isClosed)
                {
                    _closed.Cancel();
                }

                return _closed.Token;
            }
        }
    }

    /// <summary>Completes when the client is closed: the connection's request ends then.</summary>
    public Task Completion => _completion.Task;

    public bool IsClosed => Volatile.Read(ref _isClosed);

    /// <summary>The connection's RequestAborted: <see cref="RealtimeSweeper"/> closes the client once the peer is gone.</summary>
    public CancellationToken Aborted { get; set; }

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
    /// Starts the idle and lifetime clocks of the connection (§8.1); <see cref="RealtimeSweeper"/> closes the client
    /// once either has run out. Timestamps rather than a timer per connection: nothing to arm, cancel or collect per
    /// frame, and no memory per idle client.
    /// </summary>
    public void StartClocks(RealtimeTimeouts timeouts, TimeProvider time)
    {
        _time = time;
        var now = time.GetTimestamp();
        _idleTicks = Ticks(timeouts.Idle, time);
        Volatile.Write(ref _idleDeadline, Add(now, _idleTicks));
        Volatile.Write(ref _endOfLife, Add(now, Ticks(timeouts.MaxLifetime, time)));
    }

    /// <summary>
    /// Whether the connection is over at <paramref name="now"/> (a <see cref="TimeProvider"/> timestamp): idle or alive
    /// too long, or its peer gone.
    /// </summary>
    public bool IsExpired(long now) =>
        now >= Volatile.Read(ref _idleDeadline) || now >= Volatile.Read(ref _endOfLife) || Aborted.IsCancellationRequested;

    /// <summary>Closes the client; the connection that owns it calls this once it has ended.</summary>
    public void Dispose()
    {
        Close();
        lock (_gate)
        {
            _closed?.Dispose();
        }
    }

    /// <summary>A frame was sent: a fresh idle window, as PocketBase resets its idle timer on send.</summary>
    private void Sent() => Volatile.Write(ref _idleDeadline, Add(_time.GetTimestamp(), _idleTicks));

    private void SetAuth(Record? auth)
    {
        _auth = auth;
        Volatile.Write(ref _authKey, KeyOf(auth) ?? "");
    }

    private static long Ticks(TimeSpan span, TimeProvider time) =>
        span.TotalSeconds * time.TimestampFrequency >= long.MaxValue / 2 ? long.MaxValue / 2 : (long)(span.TotalSeconds * time.TimestampFrequency);

    private static long Add(long timestamp, long ticks) => ticks >= long.MaxValue - timestamp ? long.MaxValue : timestamp + ticks;

    private static string? KeyOf(Record? record) =>
        record is null ? null : record.Collection.Id + "/" + record.Id;
}
