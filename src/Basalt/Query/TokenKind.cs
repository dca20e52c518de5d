namespace Basalt.Query;

/// <summary>The kinds of token the <see cref="Lexer"/> produces.</summary>
internal enum TokenKind
{
    End,
    Identifier,
    Function,
    Text,
    Number,
    Sign,
    And,
    Or,
    OpenParen,
    CloseParen,
    Comma,
}
