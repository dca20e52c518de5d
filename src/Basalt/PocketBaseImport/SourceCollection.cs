using System.Text.Json.Nodes;

namespace Basalt.PocketBaseImport;

/// <summary>
/// One collection as an import source holds it: its collection JSON in the v0.23+ wire form (secrets kept) and where its
/// rows are. Rows are read by field name; <see cref="Columns"/> names the source column where it differs from the field
/// (v0.22's <c>passwordHash</c>), and <see cref="Constants"/> gives fields the source has no column for.
/// </summary>
public sealed class SourceCollection(JsonObject json)
{
    public JsonObject Json { get; } = json;

    public string Id => Loose.Text(Json["id"]);

    public string Name => Loose.Text(Json["name"]);

    public string Type => Loose.Text(Json["type"]);

    public bool System => Loose.Bool(Json["system"]);

    /// <summary>The table (or record file) holding the rows; null when there are none to copy (a view).</summary>
    public string? Table { get; init; }

    public IReadOnlyDictionary<string, string> Columns { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, object?> Constants { get; init; } = new Dictionary<string, object?>(StringComparer.Ordinal);
}
