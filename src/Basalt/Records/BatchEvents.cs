using Basalt.Model;

namespace Basalt.Records;

/// <summary>
/// Holds back what a batch's writes would tell the observers (realtime) until the batch has committed, then tells
/// them in the order the writes ran; a batch that fails tells nothing. Deletes are evaluated by the observers when
/// they happen, as a single delete is (while the row still matches its rules), and only their sending waits.
/// </summary>
internal sealed class BatchEvents(IReadOnlyList<IRecordWriteObserver> observers) : IRecordWriteObserver
{
    private readonly List<Action> _afterCommit = [];

    public void Committed(string action, Record record)
    {
        var copy = new Record(record.Collection);
        foreach (var (name, value) in record.Values)
        {
            copy.Values[name] = value;
        }

        _afterCommit.Add(() =>
        {
            foreach (var observer in observers)
            {
                observer.Committed(action, copy);
            }
        });
    }

    public async Task<Action?> DeletingAsync(Collection collection, string id, CancellationToken cancellationToken)
    {
        Action? deleted = null;
        foreach (var observer in observers)
        {
            deleted += await observer.DeletingAsync(collection, id, cancellationToken);
        }

        return deleted is null ? null : () => _afterCommit.Add(deleted);
    }

    /// <summary>Runs once the batch committed: every event, in the order of the writes.</summary>
    public void Publish()
    {
        foreach (var send in _afterCommit)
        {
            send();
        }
    }
}
