using System.Security.Cryptography;
using System.Text;

namespace Basalt.Records.Fields;

/// <summary>
/// Generates random strings for the simple regular expressions used as <c>autogeneratePattern</c>
/// (<c>[a-z0-9]{15}</c>, <c>post-[A-Z]{3,5}</c>): literals, character classes with ranges, <c>\d \w</c> and counted repeats.
/// </summary>
internal static class PatternGenerator
{
    private const string Digits = "0123456789";
    private const string Word = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";

    /// <summary>Returns a random match, or throws <see cref="FormatException"/> for a construct it does not support.</summary>
    public static string Generate(string pattern)
    {
        var p = pattern;
        if (p.StartsWith('^'))
        {
            p = p[1..];
        }

        if (p.EndsWith('$') && !p.EndsWith("\\$", StringComparison.Ordinal))
        {
            p = p[..^1];
        }

        var result = new StringBuilder();
        var i = 0;
        while (i < p.Length)
        {
            var alphabet = ReadAtom(p, ref i);
            var (min, max) = ReadRepeat(p, ref i);
            var count = min == max ? min : RandomNumberGenerator.GetInt32(min, max + 1);
            AppendRandom(result, alphabet, count);
        }

        return result.ToString();
    }

    /// <summary>
    /// Appends <paramref name="count"/> characters drawn uniformly from <paramref name="alphabet"/>. Random bytes are
    /// fetched 64 at a time and a byte at or above the largest multiple of the alphabet's size is dropped, so every
    /// character stays equally likely: a record id cost fifteen calls into the system's generator, one per character,
    /// which the profile of a create showed beside the whole SQLite write.
    /// </summary>
    private static void AppendRandom(StringBuilder result, string alphabet, int count)
    {
        if (alphabet.Length > 256)
        {
            for (var n = 0; n < count; n++)
            {
                result.Append(alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)]);
            }

            return;
        }

        var limit = 256 - (256 % alphabet.Length);
        Span<byte> bytes = stackalloc byte[64];
        var used = bytes.Length;
        while (count > 0)
        {
            if (used == bytes.Length)
            {
                RandomNumberGenerator.Fill(bytes);
                used = 0;
            }

            var b = bytes[used++];
            if (b < limit)
            {
                result.Append(alphabet[b % alphabet.Length]);
                count--;
            }
        }
    }

    private static string ReadAtom(string p, ref int i)
    {
        var c = p[i++];
        switch (c)
        {
            case '[':
                return ReadClass(p, ref i);
            case '\\':
                if (i >= p.Length)
                {
                    throw new FormatException("dangling escape");
                }

                var e = p[i++];
                return e switch
                {
                    'd' => Digits,
                    'w' => Word,
                    _ when char.IsLetterOrDigit(e) => throw new FormatException($"unsupported escape \\{e}"),
                    _ => e.ToString(),
                };
            case '(' or ')' or '|' or '*' or '+' or '?' or '.' or '{':
                throw new FormatException($"unsupported pattern construct '{c}'");
            default:
                return c.ToString();
        }
    }

    private static string ReadClass(string p, ref int i)
    {
        var set = new StringBuilder();
        if (i < p.Length && p[i] == '^')
        {
            throw new FormatException("negated classes are not supported");
        }

        while (i < p.Length && p[i] != ']')
        {
            var from = p[i] == '\\' && i + 1 < p.Length ? p[++i] : p[i];
            i++;
            if (i + 1 < p.Length && p[i] == '-' && p[i + 1] != ']')
            {
                var to = p[i + 1];
                i += 2;
                for (var ch = from; ch <= to; ch++)
                {
                    set.Append(ch);
                }
            }
            else
            {
                set.Append(from);
            }
        }

        if (i >= p.Length || set.Length == 0)
        {
            throw new FormatException("unterminated or empty character class");
        }

        i++;
        return set.ToString();
    }

    private static (int Min, int Max) ReadRepeat(string p, ref int i)
    {
        if (i >= p.Length || p[i] != '{')
        {
            return (1, 1);
        }

        var end = p.IndexOf('}', i);
        if (end < 0)
        {
            throw new FormatException("unterminated repeat");
        }

        var parts = p[(i + 1)..end].Split(',');
        i = end + 1;
        var min = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
        var max = parts.Length > 1 && parts[1].Length > 0
            ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture)
            : min;
        if (min < 0 || max < min || max > 10_000)
        {
            throw new FormatException("invalid repeat");
        }

        return (min, max);
    }
}
