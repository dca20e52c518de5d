namespace Basalt.Storage.Schema;

/// <summary>How a field is stored: each kind has one column type, default and canonical CLR value per database.</summary>
public enum ColumnKind
{
    /// <summary>The text primary key <c>id</c>.</summary>
    PrimaryKey,

    /// <summary>Text-like fields and single select/relation/file: string, '' when empty.</summary>
    Text,

    /// <summary>number: double, 0 when empty.</summary>
    Number,

    /// <summary>bool: false when empty.</summary>
    Bool,

    /// <summary>Multiple select/relation/file: a JSON array of strings, '[]' when empty.</summary>
    JsonArray,

    /// <summary>json: any JSON value, NULL when empty.</summary>
    Json,

    /// <summary>geoPoint: a JSON object <c>{"lon":0,"lat":0}</c>.</summary>
    GeoPoint,
}
