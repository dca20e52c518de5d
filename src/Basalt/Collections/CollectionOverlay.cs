using Basalt.Model;

namespace Basalt.Collections;

/// <summary>
/// The collections as they will be once a pending change commits: the committed set with some collections replaced,
/// added or removed. Validation and rule compilation run against it so a change can refer to itself and, in an
/// import, to the other collections of the same import.
/// </summary>
internal sealed class CollectionOverlay : ICollectionLookup
{
    private readonly List<Collection> _all;

    public CollectionOverlay(IEnumerable<Collection> committed, IEnumerable<Collection> pending, IEnumerable<string>? removedIds = null)
    {
        var pendingList = pending.ToList();
        var removed = new HashSet<string>(removedIds ?? [], StringComparer.Ordinal);
        _all = committed
            .Where(c => !removed.Contains(c.Id) && !pendingList.Any(p => p.Id == c.Id))
            .Concat(pendingList)
            .ToList();
    }

    public IReadOnlyList<Collection> All => _all;

    public Collection? Find(string idOrName) =>
        _all.Find(c => string.Equals(c.Id, idOrName, StringComparison.Ordinal))
        ?? _all.Find(c => string.Equals(c.Name, idOrName, StringComparison.OrdinalIgnoreCase));

    /// <summary>The set without <paramref name="collection"/> (matched by reference or id): the "other" collections.</summary>
    public IEnumerable<Collection> Others(Collection collection) =>
        _all.Where(c => !ReferenceEquals(c, collection) && !string.Equals(c.Id, collection.Id, StringComparison.Ordinal));
}
