namespace Basalt.Model;

/// <summary>
/// One row of a collection. Values use canonical CLR types, the same on every database:
/// text-like fields (text, email, url, editor, date, autodate, single select/relation/file, password hash) are
/// <see cref="string"/> ("" when empty); number is <see cref="double"/>; bool is <see cref="bool"/>;
/// multiple select/relation/file is <see cref="List{T}"/> of string; json and geoPoint are
/// <see cref="System.Text.Json.Nodes.JsonNode"/> (json may be null).
/// </summary>
public sealed class Record
{
    public Record(Collection collection)
    {
        Collection = collection;

        // Sized for a row's values up front: grown from empty, it allocated and rehashed three times for a seven-field row.
        Values = new Dictionary<string, object?>(collection.Fields.Count, StringComparer.Ordinal);
    }

    public Collection Collection { get; }

    public Dictionary<string, object?> Values { get; }

    /// <summary>Expanded relations, keyed by the expand path segment; null when no expand was asked for.</summary>
    public Dictionary<string, object?>? Expand { get; set; }

    public string Id
    {
        get => GetString("id");
        set => Values["id"] = value;
    }

    /// <summary>The requester passes the collection's manageRule for this record, so its email is shown (set by the records service).</summary>
    public bool Managed { get; set; }

    public object? Get(string field) => Values.TryGetValue(field, out var v) ? v : null;

    public string GetString(string field) => Get(field) as string ?? "";

    public void Set(string field, object? value) => Values[field] = value;
}
