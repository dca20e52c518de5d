namespace Basalt.Collections;

/// <summary>The kinds of token <see cref="SqlTokenizer"/> produces.</summary>
internal enum SqlTokenKind
{
    /// <summary>A bare word: keyword, identifier or function name.</summary>
    Word,

    /// <summary>A quoted identifier (backticks, double quotes or brackets); <see cref="SqlToken.Text"/> is unquoted.</summary>
    Identifier,

    /// <summary>A single-quoted string literal; <see cref="SqlToken.Text"/> is the raw literal with quotes.</summary>
    String,

    Number,

    /// <summary>Punctuation or an operator.</summary>
    Symbol,
}

/// <summary>One token of a user-written SQL fragment (view query or index).</summary>
internal sealed record SqlToken(SqlTokenKind Kind, string Text)
{
    public bool IsWord(string word) => Kind == SqlTokenKind.Word && string.Equals(Text, word, StringComparison.OrdinalIgnoreCase);

    public bool IsSymbol(string symbol) => Kind == SqlTokenKind.Symbol && Text == symbol;

    /// <summary>A name: a bare word or a quoted identifier.</summary>
    public bool IsName => Kind is SqlTokenKind.Word or SqlTokenKind.Identifier;
}
