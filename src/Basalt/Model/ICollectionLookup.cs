namespace Basalt.Model;

/// <summary>The in-memory view of every collection, refreshed after each schema change commits.</summary>
public interface ICollectionLookup
{
    /// <summary>Finds by id, or by name case-insensitively.</summary>
    Collection? Find(string idOrName);

    IReadOnlyList<Collection> All { get; }
}
