using Basalt.Storage;
using Basalt.Storage.Tables;

namespace Basalt.Records;

/// <summary>Record operations inside a write unit that is already open: what a batch runs its sub-requests through.</summary>
public sealed partial class RecordService
{
    /// <summary>
    /// This service over <paramref name="unit"/>: the same create, update and delete, with every read and write inside
    /// the unit (so rules see what earlier operations of the unit wrote), handing file deletions to
    /// <paramref name="files"/>, since nothing is committed until the unit is. Its writes reach the change log (and so
    /// realtime) only if the unit commits.
    /// </summary>
    internal RecordService InUnit(UnitDatabase unit, IRecordFiles files)
    {
        var store = new RecordStore(unit);
        return new RecordService(store, new AuthStateStore(store, _collections, _time), _collections, _compiler, _rules, _time, files);
    }

    /// <summary>The file side of this service's writes, which a unit run through <see cref="InUnit"/> defers to its commit.</summary>
    internal IRecordFiles Files => _files;

    /// <summary>Whether the record exists, whatever the rules say (the upsert of a batch picks update or create by it).</summary>
    internal async Task<bool> ExistsAsync(string collectionIdOrName, string id, CancellationToken cancellationToken)
    {
        var collection = ResolveWritable(collectionIdOrName);
        return await _database.ReadAsync((connection, ct) => _store.ExistsAsync(collection, id, null, connection, null, ct), cancellationToken);
    }
}
