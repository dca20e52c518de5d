namespace Basalt.Storage;

/// <summary>
/// One row of <c>_collections</c> as stored: the JSON columns (<see cref="Fields"/>, <see cref="Indexes"/>,
/// <see cref="Options"/>) hold JSON text in the wire format; the collections service maps it to and from <see cref="Model.Collection"/>.
/// </summary>
public sealed class CollectionRow
{
    public string Id { get; set; } = "";

    public bool System { get; set; }

    public string Type { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>JSON array of field objects.</summary>
    public string Fields { get; set; } = "[]";

    /// <summary>JSON array of index strings.</summary>
    public string Indexes { get; set; } = "[]";

    public string? ListRule { get; set; }

    public string? ViewRule { get; set; }

    public string? CreateRule { get; set; }

    public string? UpdateRule { get; set; }

    public string? DeleteRule { get; set; }

    public string? ViewQuery { get; set; }

    /// <summary>JSON object of type-specific options.</summary>
    public string Options { get; set; } = "{}";

    public string Created { get; set; } = "";

    public string Updated { get; set; } = "";
}
