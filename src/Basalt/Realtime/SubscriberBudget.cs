namespace Basalt.Realtime;

/// <summary>
/// What one subscriber may make a record event cost: evaluations that need a query (a <c>filter</c>, a rule that is
/// not answered in memory) or an <c>expand</c>, counted once per distinct subscription however many connections share
/// it. Past the limit its remaining costly subscriptions get no event for that record (logged once per event), so
/// neither many filters nor many connections let one subscriber make every write on the server pay for them.
/// Subscriptions answered in memory cost nothing and are never limited.
/// </summary>
internal sealed class SubscriberBudget
{
    /// <summary>Costly subscriptions evaluated for one record event per signed-in record, over all its connections.</summary>
    public const int SignedIn = 50;

    /// <summary>
    /// Costly subscriptions evaluated for one record event per guest IP: higher than a record's, since many visitors
    /// may share an address (a NAT, or a proxy that is not configured as trusted).
    /// </summary>
    public const int GuestIp = 1000;

    private readonly Dictionary<string, int> _spent = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);

    /// <summary>Who pays for a client's subscriptions: its signed-in record, or its IP when it is a guest.</summary>
    public static string Subscriber(RealtimeClient client) =>
        client.AuthKey.Length > 0 ? client.AuthKey : "ip:" + client.Ip;

    /// <summary>Charges one costly evaluation to <paramref name="subscriber"/>; false (once reported) when it has none left.</summary>
    public bool TrySpend(string subscriber, out bool firstRefusal)
    {
        var limit = subscriber.StartsWith("ip:", StringComparison.Ordinal) ? GuestIp : SignedIn;
        var spent = _spent.GetValueOrDefault(subscriber);
        if (spent < limit)
        {
            _spent[subscriber] = spent + 1;
            firstRefusal = false;
            return true;
        }

        firstRefusal = _reported.Add(subscriber);
        return false;
    }
}
