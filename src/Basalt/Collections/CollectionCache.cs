using Basalt.Model;

namespace Basalt.Collections;

/// <summary>
/// Every collection in memory, found by id or by name case-insensitively. The whole set is swapped atomically after a
/// schema write commits, so readers always see one consistent version. Returned collections are shared: clone before changing.
/// </summary>
public sealed class CollectionCache : ICollectionLookup
{
    private volatile Snapshot _snapshot = new([]);

    public IReadOnlyList<Collection> All => _snapshot.List;

    public Collection? Find(string idOrName)
    {
        var snapshot = _snapshot;
        return snapshot.ById.TryGetValue(idOrName, out var byId) ? byId
            : snapshot.ByName.TryGetValue(idOrName, out var byName) ? byName
            : null;
    }

    /// <summary>Replaces the whole set; called only with what the database holds after a commit.</summary>
    internal void Replace(IReadOnlyList<Collection> collections) => _snapshot = new Snapshot(collections);

    private sealed class Snapshot
    {
        public Snapshot(IReadOnlyList<Collection> list)
        {
            List = list;
            ById = list.ToDictionary(c => c.Id, StringComparer.Ordinal);
            ByName = new Dictionary<string, Collection>(StringComparer.OrdinalIgnoreCase);
            foreach (var c in list)
            {
                ByName.TryAdd(c.Name, c);
            }
        }

        public IReadOnlyList<Collection> List { get; }

        public Dictionary<string, Collection> ById { get; }

        public Dictionary<string, Collection> ByName { get; }
    }
}
