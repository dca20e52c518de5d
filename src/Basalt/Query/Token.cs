namespace Basalt.Query;

/// <summary>One token of a filter expression, with the character offset it starts at (for error messages).</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Position);
