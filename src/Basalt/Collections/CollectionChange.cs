using System.Text.Json.Nodes;
using Basalt.Model;

namespace Basalt.Collections;

/// <summary>
/// One collection before and after a schema change, each as its <see cref="Snapshot"/>: no <see cref="Before"/> when
/// the change created it, no <see cref="After"/> when it deleted it.
/// </summary>
public sealed record CollectionChange(string CollectionId, JsonObject? Before, JsonObject? After)
{
    /// <summary>
    /// The JSON a change keeps of a collection: its public JSON without <c>created</c> and <c>updated</c>, which describe
    /// one database, not the schema. Secrets (token secrets, OAuth2 client secrets) are never in it: they are per
    /// database, and a change applied over a stored collection keeps the stored ones.
    /// </summary>
    public static JsonObject Snapshot(Collection collection)
    {
        var json = CollectionJson.Write(collection);
        json.Remove("created");
        json.Remove("updated");
        return json;
    }

    public static CollectionChange Created(Collection after) => new(after.Id, null, Snapshot(after));

    public static CollectionChange Updated(Collection before, Collection after) => new(after.Id, Snapshot(before), Snapshot(after));

    public static CollectionChange Deleted(Collection before) => new(before.Id, Snapshot(before), null);

    /// <summary>The collection's name after the change, or before it when the change deleted it.</summary>
    public string Name => (After ?? Before)?["name"] is JsonValue name && name.TryGetValue<string>(out var text) ? text : CollectionId;

    /// <summary>True when nothing changed (an update that wrote the same collection back).</summary>
    public bool IsEmpty => Before is not null && After is not null && JsonNode.DeepEquals(Before, After);

    /// <summary>The same change the other way round: what undoing it does.</summary>
    public CollectionChange Reversed() => new(CollectionId, After, Before);
}
