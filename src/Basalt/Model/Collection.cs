using System.Text.Json.Nodes;

namespace Basalt.Model;

/// <summary>
/// A collection definition as stored in <c>_collections</c>: a real table (base, auth) or an SQL view (view).
/// Auth options and other type-specific keys live in <see cref="Options"/> under their wire names.
/// </summary>
public sealed class Collection
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public string Type { get; set; } = CollectionType.Base;

    public bool System { get; set; }

    public List<Field> Fields { get; set; } = [];

    public List<string> Indexes { get; set; } = [];

    public string? ListRule { get; set; }

    public string? ViewRule { get; set; }

    public string? CreateRule { get; set; }

    public string? UpdateRule { get; set; }

    public string? DeleteRule { get; set; }

    /// <summary>The SELECT of a view collection; null for the other types.</summary>
    public string? ViewQuery { get; set; }

    /// <summary>Type-specific options (the auth options of §2.6) keyed by their wire names.</summary>
    public JsonObject Options { get; set; } = [];

    public string Created { get; set; } = "";

    public string Updated { get; set; } = "";

    public bool IsAuth => Type == CollectionType.Auth;

    public bool IsView => Type == CollectionType.View;

    public Field? FindField(string name) =>
        Fields.Find(f => string.Equals(f.Name, name, StringComparison.Ordinal));

    public Field? FindFieldById(string id) =>
        Fields.Find(f => string.Equals(f.Id, id, StringComparison.Ordinal));

    public Collection Clone() => new()
    {
        Id = Id,
        Name = Name,
        Type = Type,
        System = System,
        Fields = Fields.Select(f => f.Clone()).ToList(),
        Indexes = [.. Indexes],
        ListRule = ListRule,
        ViewRule = ViewRule,
        CreateRule = CreateRule,
        UpdateRule = UpdateRule,
        DeleteRule = DeleteRule,
        ViewQuery = ViewQuery,
        Options = (JsonObject)Options.DeepClone(),
        Created = Created,
        Updated = Updated,
    };
}
