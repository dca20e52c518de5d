using System.Text;

namespace Basalt.Query;

/// <summary>
/// Turns filter text into tokens: identifiers (<c>a.b:mod</c>, <c>@request.x</c>), functions (<c>name(</c>),
/// quoted text with <c>\</c>-escaped quotes, numbers (optionally negative), operators, <c>&amp;&amp; || ( ) ,</c>.
/// <c>//</c> starts a comment that runs to the end of the line.
/// </summary>
internal static class Lexer
{
    private static readonly string[] Signs =
        ["?!=", "?>=", "?<=", "?!~", "?=", "?>", "?<", "?~", "!=", ">=", "<=", "!~", "=", ">", "<", "~"];

    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (true)
        {
            i = SkipBlanks(text, i);
            if (i >= text.Length)
            {
                tokens.Add(new Token(TokenKind.End, "", i));
                return tokens;
            }

            var c = text[i];
            var start = i;
            if (IsIdentifierStart(c))
            {
                i++;
                while (i < text.Length && IsIdentifierPart(text[i]))
                {
                    i++;
                }

                var name = text[start..i];
                if (i < text.Length && text[i] == '(')
                {
                    i++;
                    tokens.Add(new Token(TokenKind.Function, name, start));
                }
                else
                {
                    tokens.Add(new Token(TokenKind.Identifier, name, start));
                }
            }
            else if (c is '"' or '\'')
            {
                tokens.Add(new Token(TokenKind.Text, ReadText(text, ref i), start));
            }
            else if (char.IsAsciiDigit(c) || (c == '-' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                tokens.Add(new Token(TokenKind.Number, ReadNumber(text, ref i), start));
            }
            else if (c == '&' || c == '|')
            {
                if (i + 1 >= text.Length || text[i + 1] != c)
                {
                    throw new FilterSyntaxException($"unexpected '{c}' at {start}", start);
                }

                i += 2;
                tokens.Add(new Token(c == '&' ? TokenKind.And : TokenKind.Or, c == '&' ? "&&" : "||", start));
            }
            else if (c is '(' or ')' or ',')
            {
                i++;
                var kind = c switch { '(' => TokenKind.OpenParen, ')' => TokenKind.CloseParen, _ => TokenKind.Comma };
                tokens.Add(new Token(kind, c.ToString(), start));
            }
            else
            {
                var sign = Array.Find(Signs, s => string.CompareOrdinal(text, i, s, 0, s.Length) == 0)
                    ?? throw new FilterSyntaxException($"unexpected character at {start}", start);
                i += sign.Length;
                tokens.Add(new Token(TokenKind.Sign, sign, start));
            }
        }
    }

    private static int SkipBlanks(string text, int i)
    {
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
            }
            else if (text[i] == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }
            }
            else
            {
                break;
            }
        }

        return i;
    }

    private static bool IsIdentifierStart(char c) => char.IsLetter(c) || c is '_' or '@' or '#';

    private static bool IsIdentifierPart(char c) => char.IsLetterOrDigit(c) || c is '_' or '.' or ':';

    /// <summary>Only an escaped quote of the same kind is unescaped; other backslashes stay, so LIKE escapes survive.</summary>
    private static string ReadText(string text, ref int i)
    {
        var quote = text[i];
        var start = i;
        i++;
        var sb = new StringBuilder();
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length && text[i + 1] == quote)
            {
                sb.Append(quote);
                i += 2;
                continue;
            }

            if (c == '\\' && i + 1 < text.Length && text[i + 1] == '\\')
            {
                sb.Append("\\\\");
                i += 2;
                continue;
            }

            if (c == quote)
            {
                i++;
                return sb.ToString();
            }

            sb.Append(c);
            i++;
        }

        throw new FilterSyntaxException($"unterminated text starting at {start}", start);
    }

    private static string ReadNumber(string text, ref int i)
    {
        var start = i;
        if (text[i] == '-')
        {
            i++;
        }

        var dot = false;
        while (i < text.Length && (char.IsAsciiDigit(text[i]) || (text[i] == '.' && !dot)))
        {
            dot |= text[i] == '.';
            i++;
        }

        if (text[i - 1] == '.' || (i < text.Length && IsIdentifierPart(text[i])))
        {
            throw new FilterSyntaxException($"invalid number at {start}", start);
        }

        return text[start..i];
    }
}
