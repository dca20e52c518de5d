namespace Basalt.Storage.Snapshots;

/// <summary>A snapshot that cannot be restored here (damaged, of a newer schema, not Basalt's); the message says why, for the operator.</summary>
public sealed class SnapshotRefusedException(string message, Exception? inner = null) : Exception(message, inner);
