using Basalt.Model;

namespace Basalt.Realtime;

/// <summary>
/// The checks and the step of a subscribe on the node that holds the client, the same whether the request reached this
/// node or another one forwarded it (<see cref="ClusterRealtimeBroker"/>): the IP must be the stream's, and a client
/// bound to one auth cannot be switched to another.
/// </summary>
public static class RealtimeSubscribing
{
    public static async Task<SubscribeOutcome> ApplyAsync(
        RealtimeDispatcher dispatcher, RealtimeClient client, string ip, Record? auth, IReadOnlyList<RealtimeSubscription> subscriptions,
        long? resumeFrom, long? ticket, CancellationToken cancellationToken)
    {
        if (!string.Equals(client.Ip, ip, StringComparison.Ordinal))
        {
            return SubscribeOutcome.IpMismatch;
        }

        return await dispatcher.SubscribeAsync(client, auth, subscriptions, resumeFrom, ticket, cancellationToken)
            ? SubscribeOutcome.Applied
            : SubscribeOutcome.AuthMismatch;
    }
}
