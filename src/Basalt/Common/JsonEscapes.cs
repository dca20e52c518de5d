namespace Basalt.Common;

/// <summary>
/// Rewrites the <c>\uXXXX</c> escapes no store can keep: a lone UTF-16 surrogate (which .NET cannot turn into a string)
/// and NUL (which PostgreSQL text and jsonb refuse) become <c>\uFFFD</c>, the replacement character Go's JSON decoder
/// gives a lone surrogate, so PocketBase clients see the same value whichever database Basalt runs on.
/// </summary>
public static class JsonEscapes
{
    private static ReadOnlySpan<byte> Replacement => "FFFD"u8;

    /// <summary>Rewrites the escapes of UTF-8 JSON text in place; the length never changes.</summary>
    public static void Sanitize(Span<byte> json)
    {
        var i = json.IndexOf((byte)'\\');
        while (i >= 0 && i + 1 < json.Length)
        {
            if (json[i + 1] != 'u' || !TryReadHex(json, i + 2, out var unit))
            {
                // any other escape is two bytes long, so an escaped backslash never starts a \u
                i = Next(json, i + 2);
                continue;
            }

            if (char.IsHighSurrogate((char)unit) && json.Length >= i + 12 && json[i + 6] == '\\' && json[i + 7] == 'u' &&
                TryReadHex(json, i + 8, out var low) && char.IsLowSurrogate((char)low))
            {
                i = Next(json, i + 12);
                continue;
            }

            if (unit == 0 || char.IsSurrogate((char)unit))
            {
                Replacement.CopyTo(json[(i + 2)..]);
            }

            i = Next(json, i + 6);
        }
    }

    /// <summary>The JSON text with the same escapes rewritten; the same instance when there is nothing to rewrite.</summary>
    public static string Sanitize(string json)
    {
        if (!json.Contains("\\u", StringComparison.Ordinal))
        {
            return json;
        }

        var bytes = System.Text.Encoding.UTF8.GetBytes(json);
        Sanitize(bytes);
        return System.Text.Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Text with NUL and lone surrogates replaced by U+FFFD; the same instance when it holds neither.</summary>
    public static string Clean(string text)
    {
        var bad = -1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0' || (char.IsHighSurrogate(c) && !(i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))) ||
                (char.IsLowSurrogate(c) && !(i > 0 && char.IsHighSurrogate(text[i - 1]))))
            {
                bad = i;
                break;
            }
        }

        if (bad < 0)
        {
            return text;
        }

        var chars = text.ToCharArray();
        for (var i = bad; i < chars.Length; i++)
        {
            var c = chars[i];
            if (char.IsHighSurrogate(c) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
                continue;
            }

            if (c == '\0' || char.IsSurrogate(c))
            {
                chars[i] = '\uFFFD';
            }
        }

        return new string(chars);
    }

    private static int Next(Span<byte> json, int from)
    {
        if (from >= json.Length)
        {
            return -1;
        }

        var next = json[from..].IndexOf((byte)'\\');
        return next < 0 ? -1 : from + next;
    }

    private static bool TryReadHex(Span<byte> json, int start, out int value)
    {
        value = 0;
        if (start + 4 > json.Length)
        {
            return false;
        }

        for (var k = 0; k < 4; k++)
        {
            var b = json[start + k];
            var digit = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                return false;
            }

            value = (value << 4) | digit;
        }

        return true;
    }
}
