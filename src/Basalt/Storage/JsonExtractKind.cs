namespace Basalt.Storage;

/// <summary>
/// How a value read from a JSON path takes part in an expression. SQLite's <c>json_extract</c> returns typed values
/// on its own; PostgreSQL needs to be told which type to produce, and yields NULL for values of another JSON type
/// so that both databases agree on comparisons.
/// </summary>
public enum JsonExtractKind
{
    /// <summary>The value itself (typed on SQLite, jsonb on PostgreSQL): for sorting and JSON-to-JSON comparisons.</summary>
    Value,

    /// <summary>JSON strings only, as text.</summary>
    Text,

    /// <summary>JSON numbers, and booleans as 1/0, as a number.</summary>
    Number,

    /// <summary>Any scalar as text (objects and arrays as their JSON text); JSON null is NULL.</summary>
    AnyAsText,
}
