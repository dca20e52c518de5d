using Microsoft.Extensions.Options;

namespace Basalt.Api;

/// <summary>
/// At most <see cref="ApiOptions.MaxConcurrentReadsPerClient"/> record reads per client IP run at once, so a few
/// hostile requests from one client (each bounded by <see cref="ApiOptions.ReadTimeout"/>) cannot occupy every
/// database reader. A read waits its turn up to the read deadline. Idle IPs hold no state.
/// </summary>
public sealed class ClientReadSlots(IOptions<ApiOptions> options)
{
    private readonly Dictionary<string, Gate> _gates = new(StringComparer.Ordinal);

    /// <summary>Waits for a slot of <paramref name="ip"/>; null when none came free before the read deadline.</summary>
    public async Task<IDisposable?> EnterAsync(string ip, CancellationToken cancellationToken)
    {
        Gate gate;
        lock (_gates)
        {
            if (!_gates.TryGetValue(ip, out var known))
            {
                known = new Gate(Math.Max(1, options.Value.MaxConcurrentReadsPerClient));
                _gates[ip] = known;
            }

            gate = known;
            gate.Users++;
        }

        var entered = false;
        try
        {
            entered = await gate.Slots.WaitAsync(options.Value.ReadTimeout, cancellationToken);
        }
        finally
        {
            if (!entered)
            {
                Leave(ip, gate, release: false);
            }
        }

        return entered ? new Slot(this, ip, gate) : null;
    }

    /// <summary>How many reads of <paramref name="ip"/> hold a slot now (for tests).</summary>
    internal int Running(string ip)
    {
        lock (_gates)
        {
            return _gates.TryGetValue(ip, out var gate) ? gate.Size - gate.Slots.CurrentCount : 0;
        }
    }

    private void Leave(string ip, Gate gate, bool release)
    {
        if (release)
        {
            gate.Slots.Release();
        }

        lock (_gates)
        {
            if (--gate.Users == 0)
            {
                _gates.Remove(ip);
                gate.Slots.Dispose();
            }
        }
    }

    private sealed class Gate(int size)
    {
        public int Size => size;

        public SemaphoreSlim Slots { get; } = new(size, size);

        public int Users { get; set; }
    }

    private sealed class Slot(ClientReadSlots owner, string ip, Gate gate) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Leave(ip, gate, release: true);
            }
        }
    }
}
