using Basalt.Model;

namespace Basalt.Realtime;

/// <summary>
/// A subscribe, validated, for a client this node does not hold: the client id, the request's IP, the auth its token
/// resolved to on this node (null for a guest), the subscriptions' exact strings and the id to resume after.
/// </summary>
public sealed record ForwardedSubscribe(string ClientId, string Ip, Record? Auth, IReadOnlyList<string> Topics, long? ResumeFrom);
