namespace Basalt.Query;

/// <summary>The type both sides of a comparison are brought to before they are compared.</summary>
internal enum Domain
{
    Text,
    Number,
    Bool,

    /// <summary>JSON against JSON: compared as the databases' JSON values.</summary>
    JsonValue,

    /// <summary>Text for LIKE and NULL tests: JSON scalars of any type as their text.</summary>
    AnyText,
}
