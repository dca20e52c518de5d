namespace Basalt.Collections;

/// <summary>
/// Splits a user-written SQL fragment into tokens, dropping whitespace and comments, so view queries and indexes can be
/// checked structurally (one statement, no writes) instead of by searching text.
/// </summary>
internal static class SqlTokenizer
{
    private static readonly string[] TwoCharSymbols = ["!=", "<>", "<=", ">=", "||", "==", "::", "->", "<<", ">>"];

    /// <summary>The tokens, or null with <paramref name="error"/> set when a string, identifier or comment is unterminated.</summary>
    public static List<SqlToken>? Tokenize(string sql, out string? error)
    {
        var tokens = new List<SqlToken>();
        error = null;
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '-' && At(sql, i + 1) == '-')
            {
                var end = sql.IndexOf('\n', i);
                i = end < 0 ? sql.Length : end + 1;
            }
            else if (c == '/' && At(sql, i + 1) == '*')
            {
                var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    error = "Unterminated comment.";
                    return null;
                }

                i = end + 2;
            }
            else if (c is '\'' or '"' or '`' or '[')
            {
                var close = c == '[' ? ']' : c;
                var j = i + 1;
                var text = new System.Text.StringBuilder();
                while (true)
                {
                    if (j >= sql.Length)
                    {
                        error = "Unterminated quoted text.";
                        return null;
                    }

                    if (sql[j] == close)
                    {
                        if (close != ']' && At(sql, j + 1) == close)
                        {
                            text.Append(close);
                            j += 2;
                            continue;
                        }

                        break;
                    }

                    text.Append(sql[j]);
                    j++;
                }

                tokens.Add(c == '\''
                    ? new SqlToken(SqlTokenKind.String, sql[i..(j + 1)])
                    : new SqlToken(SqlTokenKind.Identifier, text.ToString()));
                i = j + 1;
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var j = i;
                while (j < sql.Length && (char.IsLetterOrDigit(sql[j]) || sql[j] is '_' or '$'))
                {
                    j++;
                }

                tokens.Add(new SqlToken(SqlTokenKind.Word, sql[i..j]));
                i = j;
            }
            else if (char.IsDigit(c) || (c == '.' && char.IsDigit(At(sql, i + 1))))
            {
                var j = i;
                while (j < sql.Length && (char.IsLetterOrDigit(sql[j]) || sql[j] == '.' ||
                    (sql[j] is '+' or '-' && sql[j - 1] is 'e' or 'E')))
                {
                    j++;
                }

                tokens.Add(new SqlToken(SqlTokenKind.Number, sql[i..j]));
                i = j;
            }
            else
            {
                var two = i + 1 < sql.Length ? sql.Substring(i, 2) : "";
                var symbol = TwoCharSymbols.Contains(two) ? two : c.ToString();
                tokens.Add(new SqlToken(SqlTokenKind.Symbol, symbol));
                i += symbol.Length;
            }
        }

        return tokens;
    }

    /// <summary>Writes tokens back as SQL text, quoting identifiers with backticks (the stored form; dialects re-quote).</summary>
    public static string Join(IEnumerable<SqlToken> tokens)
    {
        var sb = new System.Text.StringBuilder();
        SqlToken? previous = null;
        foreach (var token in tokens)
        {
            if (previous is not null && NeedsSpace(previous, token))
            {
                sb.Append(' ');
            }

            sb.Append(token.Kind == SqlTokenKind.Identifier ? "`" + token.Text.Replace("`", "``", StringComparison.Ordinal) + "`" : token.Text);
            previous = token;
        }

        return sb.ToString();
    }

    private static bool NeedsSpace(SqlToken previous, SqlToken next) =>
        !(previous.IsSymbol("(") || previous.IsSymbol(".") || next.IsSymbol(")") || next.IsSymbol(",") || next.IsSymbol(".") ||
          (next.IsSymbol("(") && previous.Kind == SqlTokenKind.Word));

    private static char At(string s, int i) => i < s.Length ? s[i] : '\0';
}
