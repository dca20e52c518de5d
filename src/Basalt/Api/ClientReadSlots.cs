using Microsoft.Extensions.Options;

namespace Basalt.Api;

/// <summary>
/// The turns of record reads that non-superusers run at once. A client (an IP, or an IPv6 /64: see
/// <see cref="Common.IpRanges.ClientKey"/>) runs at most <see cref="ApiOptions.MaxConcurrentReadsPerClient"/> reads,
/// and all clients together at most <see cref="ApiOptions.MaxConcurrentClientReads"/>, below the database's readers,
/// so hostile reads from many addresses (each bounded by <see cref="ApiOptions.ReadTimeout"/>) always leave readers to
/// superusers and to Basalt's own reads. Of those turns, a quarter (<see cref="Reserve"/>) only serves a client's
/// first read, so a client that runs none gets in while up to that many others hold all the turns they may.
/// A read waits its turn up to the read deadline; a freed turn goes first to a client running no read, then round
/// robin to the clients running a few, each in the order its reads came. Idle clients hold no state.
/// </summary>
public sealed class ClientReadSlots(IOptions<ApiOptions> options)
{
    // Gates are reused: a client's gate lives only while it runs or waits for a read, so each new burst would allocate one.
    private const int PooledGates = 64;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Gate> _gates = new(StringComparer.Ordinal);
    private readonly Stack<Gate> _pool = new();

    // Clients with a waiting read that their own limit would admit: those running none are served first.
    private readonly LinkedList<Gate> _idleWaiting = new();
    private readonly LinkedList<Gate> _busyWaiting = new();
    private int _running;

    /// <summary>How many of <paramref name="all"/> turns only serve a client's first read.</summary>
    public static int Reserve(int all) => all < 2 ? 0 : Math.Max(1, all / 4);

    /// <summary>
    /// Takes a turn for a read of <paramref name="client"/> (a <see cref="Common.IpRanges.ClientKey"/>), waiting for one
    /// up to the read deadline; the turn is not <see cref="ReadTurn.Granted"/> when none came free by then.
    /// </summary>
    public ValueTask<ReadTurn> EnterAsync(string client, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_lock)
        {
            var gate = GateOf(client);
            if (MayStart(gate))
            {
                gate.Running++;
                _running++;
                return ValueTask.FromResult(new ReadTurn(this, gate));
            }

            waiter = new Waiter(gate);
            gate.Waiters.AddLast(waiter.Node);
            Place(gate, rotate: false);
        }

        return WaitAsync(waiter, cancellationToken);
    }

    /// <summary>How many reads of the client of <paramref name="ip"/> hold a turn now (for tests).</summary>
    internal int Running(string ip)
    {
        lock (_lock)
        {
            return _gates.TryGetValue(Common.IpRanges.ClientKey(ip), out var gate) ? gate.Running : 0;
        }
    }

    /// <summary>How many reads of all clients hold a turn now (for tests).</summary>
    internal int RunningInAll
    {
        get
        {
            lock (_lock)
            {
                return _running;
            }
        }
    }

    private async ValueTask<ReadTurn> WaitAsync(Waiter waiter, CancellationToken cancellationToken)
    {
        await waiter.Granted.Task.WaitAsync(options.Value.ReadTimeout, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var gate = waiter.Gate;
        lock (_lock)
        {
            // Granted under the lock, so a turn given as the wait ended is kept, never lost.
            if (waiter.Granted.Task.IsCompleted)
            {
                return new ReadTurn(this, gate);
            }

            gate.Waiters.Remove(waiter.Node);
            Place(gate, rotate: false);
            Forget(gate);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return default;
    }

    private void Leave(Gate gate)
    {
        lock (_lock)
        {
            gate.Running--;
            _running--;
            Place(gate, rotate: false);
            Grant();
            Forget(gate);
        }
    }

    private Gate GateOf(string client)
    {
        if (!_gates.TryGetValue(client, out var gate))
        {
            gate = _pool.TryPop(out var pooled) ? pooled : new Gate();
            gate.Client = client;
            _gates[client] = gate;
        }

        return gate;
    }

    /// <summary>Whether a new read of <paramref name="gate"/>'s client starts now rather than after those waiting.</summary>
    private bool MayStart(Gate gate)
    {
        var api = options.Value;
        var all = Math.Max(1, api.MaxConcurrentClientReads);
        if (gate.Running >= Math.Max(1, api.MaxConcurrentReadsPerClient) || _running >= all)
        {
            return false;
        }

        return gate.Running == 0
            ? _idleWaiting.Count == 0
            : _busyWaiting.Count == 0 && _running < all - Reserve(all);
    }

    /// <summary>Hands the free turns to waiting reads: clients running none first, then the others, round robin.</summary>
    private void Grant()
    {
        var api = options.Value;
        var all = Math.Max(1, api.MaxConcurrentClientReads);
        var perClient = Math.Max(1, api.MaxConcurrentReadsPerClient);
        while (_running < all)
        {
            var gate = _idleWaiting.First?.Value ?? (_running < all - Reserve(all) ? _busyWaiting.First?.Value : null);
            if (gate is null)
            {
                return;
            }

            // The limits may have been lowered since the gate was placed.
            if (gate.Running >= perClient)
            {
                gate.ListNode.List!.Remove(gate.ListNode);
                continue;
            }

            var waiter = gate.Waiters.First!.Value;
            gate.Waiters.RemoveFirst();
            gate.Running++;
            _running++;
            waiter.Granted.SetResult();
            Place(gate, rotate: true);
        }
    }

    /// <summary>Puts <paramref name="gate"/> in the waiting list its state calls for; <paramref name="rotate"/> sends it to the back.</summary>
    private void Place(Gate gate, bool rotate)
    {
        var wanted = gate.Waiters.Count == 0 || gate.Running >= Math.Max(1, options.Value.MaxConcurrentReadsPerClient) ? null
            : gate.Running == 0 ? _idleWaiting
            : _busyWaiting;
        var current = gate.ListNode.List;
        if (current == wanted && !rotate)
        {
            return;
        }

        current?.Remove(gate.ListNode);
        wanted?.AddLast(gate.ListNode);
    }

    private void Forget(Gate gate)
    {
        if (gate.Running > 0 || gate.Waiters.Count > 0)
        {
            return;
        }

        _gates.Remove(gate.Client);
        gate.ListNode.List?.Remove(gate.ListNode);
        if (_pool.Count < PooledGates)
        {
            _pool.Push(gate);
        }
    }

    /// <summary>A turn held by a read; disposing it frees the turn. Not granted: the read waited the deadline in vain.</summary>
    public readonly struct ReadTurn : IDisposable
    {
        private readonly ClientReadSlots? _owner;
        private readonly Gate? _gate;

        internal ReadTurn(ClientReadSlots owner, Gate gate)
        {
            _owner = owner;
            _gate = gate;
        }

        public bool Granted => _gate is not null;

        /// <summary>Frees the turn; call it once (the filter's <c>using</c> does).</summary>
        public void Dispose() => _owner?.Leave(_gate!);
    }

    internal sealed class Gate
    {
        public Gate()
        {
            ListNode = new LinkedListNode<Gate>(this);
        }

        public string Client { get; set; } = "";

        public int Running { get; set; }

        public LinkedList<Waiter> Waiters { get; } = new();

        /// <summary>This gate's place in one of the waiting lists, kept so moving it allocates nothing.</summary>
        public LinkedListNode<Gate> ListNode { get; }
    }

    internal sealed class Waiter
    {
        public Waiter(Gate gate)
        {
            Gate = gate;
            Node = new LinkedListNode<Waiter>(this);
        }

        public Gate Gate { get; }

        public LinkedListNode<Waiter> Node { get; }

        /// <summary>Completed, under the lock, when the read is given its turn; continuations run off the lock.</summary>
        public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
