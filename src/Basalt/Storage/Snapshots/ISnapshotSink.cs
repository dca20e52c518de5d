namespace Basalt.Storage.Snapshots;

/// <summary>Where a snapshot writes its parts (the backup archive), one named part at a time.</summary>
public interface ISnapshotSink
{
    /// <summary>Adds the part <paramref name="name"/> and lets <paramref name="write"/> fill it.</summary>
    Task WriteAsync(string name, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken);
}
