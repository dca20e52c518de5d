using Basalt.Model;

namespace Basalt.Records;

/// <summary>The observers of committed writes (realtime today), attached at start-up by whoever needs them.</summary>
public sealed partial class RecordService
{
    private readonly Lock _observersGate = new();
    private IRecordWriteObserver[] _observers = [];

    /// <summary>
    /// Attaches an observer. Observers register themselves rather than being constructor arguments because they need
    /// this service to read what they observe.
    /// </summary>
    public void Observe(IRecordWriteObserver observer)
    {
        lock (_observersGate)
        {
            _observers = [.. _observers, observer];
        }
    }

    /// <summary>
    /// Tells the observers about an update committed outside this service: the auth flows write password, tokenKey,
    /// email and verified through their own writer, and realtime must send that update and drop or refresh the auth
    /// bound to its clients exactly as for an update through the records API.
    /// </summary>
    public void UpdateCommitted(Record record) => NotifyCommitted("update", record);

    private void NotifyCommitted(string action, Record record)
    {
        foreach (var observer in Volatile.Read(ref _observers))
        {
            observer.Committed(action, record);
        }
    }

    private async Task<Action> NotifyDeletingAsync(Collection collection, string id, CancellationToken cancellationToken)
    {
        Action after = static () => { };
        foreach (var observer in Volatile.Read(ref _observers))
        {
            after += await observer.DeletingAsync(collection, id, cancellationToken);
        }

        return after;
    }
}
