using Basalt.Model;

namespace Basalt.Records;

/// <summary>Told about the record writes that go through <see cref="RecordService"/>; the realtime fan-out listens here.</summary>
public interface IRecordWriteObserver
{
    /// <summary>After a create or update committed. Called on the writing request, so it must only hand the record over.</summary>
    void Committed(string action, Record record);

    /// <summary>
    /// Before a delete, while the row still matches its rules (PocketBase evaluates delete events then); the returned
    /// action, if any, runs once the delete committed and is dropped if it failed.
    /// </summary>
    Task<Action?> DeletingAsync(Collection collection, string id, CancellationToken cancellationToken);
}
