namespace Basalt.Storage.Tables;

/// <summary>
/// A subscribe one node took for a client another node holds (<c>_realtimeSubscribes</c>): the client id, the IP the
/// request came from, the auth its token resolved to ("" for a guest), the subscriptions as a JSON array of strings
/// and the change-log id to resume after ("" for none).
/// </summary>
public sealed record RealtimeSubscribeRow(
    string Id, string Node, string Client, string Ip, string AuthCollection, string AuthId, string Subscriptions, string ResumeFrom);
