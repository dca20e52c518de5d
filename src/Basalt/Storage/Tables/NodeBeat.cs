namespace Basalt.Storage.Tables;

/// <summary>One node's last heartbeat in <c>_nodes</c>: when it started and was last seen (Unix ms), and its change-log position.</summary>
public sealed record NodeBeat(string Id, long Started, long Seen, long Position);
