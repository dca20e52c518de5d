namespace Basalt.Query;

/// <summary>What an operand holds, which decides how a comparison is typed on strictly typed databases.</summary>
internal enum ValueKind
{
    Null,
    Text,
    Number,
    Bool,
    Json,
}
