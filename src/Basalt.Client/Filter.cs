using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Basalt.Client;

/// <summary>
/// Builds filter expressions with bound values, as the JS SDK's <c>pb.filter("a = {:x}", {x})</c>, but safely: every
/// placeholder is replaced in one pass (a value that contains <c>{:other}</c> stays text), and a text value is quoted so
/// the server's lexer reads back exactly that value (checked by reading it back before it is used).
/// </summary>
public static class Filter
{
    /// <summary>
    /// Replaces each <c>{:name}</c> of <paramref name="expression"/> with its value from <paramref name="parameters"/>:
    /// text quoted, numbers and booleans as literals, null as <c>null</c>, dates as <c>'yyyy-MM-dd HH:mm:ss.fffZ'</c>
    /// (UTC), and JSON nodes as their JSON text, quoted. A placeholder with no value throws <see cref="ArgumentException"/>.
    /// </summary>
    public static string Format(string expression, IReadOnlyDictionary<string, object?> parameters)
    {
        var result = new StringBuilder(expression.Length);
        var i = 0;
        while (i < expression.Length)
        {
            var start = expression.IndexOf("{:", i, StringComparison.Ordinal);
            var end = start < 0 ? -1 : expression.IndexOf('}', start + 2);
            if (end < 0)
            {
                result.Append(expression, i, expression.Length - i);
                break;
            }

            result.Append(expression, i, start - i);
            var name = expression[(start + 2)..end];
            if (!parameters.TryGetValue(name, out var value))
            {
                throw new ArgumentException($"The filter has the placeholder {{:{name}}} but no value for it.", nameof(parameters));
            }

            result.Append(Literal(value));
            i = end + 1;
        }

        return result.ToString();
    }

    /// <summary>One value as a literal of the filter language.</summary>
    public static string Literal(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        string s => Quote(s),
        char c => Quote(c.ToString()),
        DateTimeOffset d => Quote(d.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)),
        DateTime d => Quote(d.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)),
        DateOnly d => Quote(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        Enum e => Quote(e.ToString()),
        double or float => Number((IFormattable)value),
        sbyte or byte or short or ushort or int or uint or long or ulong or decimal => Number((IFormattable)value),
        JsonValue v when v.TryGetValue<string>(out var s) => Quote(s),
        JsonNode n => Quote(n.ToJsonString()),
        _ => throw new ArgumentException(
            $"A filter value of type {value.GetType().Name} has no literal form; pass text, a number, a bool, a date or a JsonNode.", nameof(value)),
    };

    /// <summary>
    /// <paramref name="text"/> as a quoted literal the lexer reads back exactly. The lexer turns <c>\'</c> into the quote
    /// and keeps a <c>\\</c> pair as it is, so an odd run of backslashes right before a quote would escape it: such text is
    /// quoted with the other quote character, and text that no quoting can carry is refused rather than sent altered.
    /// </summary>
    public static string Quote(string text)
    {
        foreach (var quote in "'\"")
        {
            var quoted = new StringBuilder(text.Length + 2).Append(quote);
            foreach (var c in text)
            {
                if (c == quote)
                {
                    quoted.Append('\\');
                }

                quoted.Append(c);
            }

            var literal = quoted.Append(quote).ToString();
            if (ReadsBackAs(literal, text))
            {
                return literal;
            }
        }

        throw new ArgumentException("The text cannot be written as a filter literal: it ends with an odd run of backslashes, or has one before both kinds of quote.", nameof(text));
    }

    private static string Number(IFormattable number)
    {
        var text = number.ToString(null, CultureInfo.InvariantCulture);
        if (text is "NaN" or "Infinity" or "-Infinity")
        {
            throw new ArgumentException("NaN and infinities have no literal form in a filter.", nameof(number));
        }

        return text;
    }

    /// <summary>The server lexer's reading of a quoted literal (Basalt's Query/Lexer.ReadText, as fexpr's scanner).</summary>
    private static bool ReadsBackAs(string literal, string expected)
    {
        var quote = literal[0];
        var read = new StringBuilder(literal.Length);
        var i = 1;
        while (i < literal.Length)
        {
            var c = literal[i];
            if (c == '\\' && i + 1 < literal.Length && literal[i + 1] == quote)
            {
                read.Append(quote);
                i += 2;
            }
            else if (c == '\\' && i + 1 < literal.Length && literal[i + 1] == '\\')
            {
                read.Append("\\\\");
                i += 2;
            }
            else if (c == quote)
            {
                return i == literal.Length - 1 && read.ToString() == expected;
            }
            else
            {
                read.Append(c);
                i++;
            }
        }

        return false;
    }
}
