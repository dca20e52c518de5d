namespace Basalt.Storage.Snapshots;

/// <summary>The parts of a snapshot being restored, already checked against their checksums.</summary>
public interface ISnapshotSource
{
    bool Contains(string name);

    /// <summary>Opens the part <paramref name="name"/> for reading; the caller disposes the stream.</summary>
    Task<Stream> OpenAsync(string name, CancellationToken cancellationToken);
}
