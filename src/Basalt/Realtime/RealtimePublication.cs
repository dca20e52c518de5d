namespace Basalt.Realtime;

/// <summary>
/// A message handed to <see cref="IRealtimeBroker"/>: delivered to every client with a subscription matching
/// <paramref name="Topic"/>, once per matching subscription under that subscription's exact string. It carries only
/// plain data so another node can receive it (a PostgreSQL NOTIFY payload later).
/// </summary>
/// <param name="Topic">The topic without options, e.g. <c>posts/*</c> or <c>@oauth2</c>.</param>
/// <param name="Data">The JSON data of the event.</param>
/// <param name="ClientId">When set, only this client may receive it (the OAuth2 redirect targets one popup's client).</param>
/// <param name="ClientIp">When set, the client must have connected from this IP.</param>
public sealed record RealtimePublication(string Topic, string Data, string? ClientId = null, string? ClientIp = null);
