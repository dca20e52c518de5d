using System.Security.Cryptography;
using System.Text;

namespace Basalt.Files;

/// <summary>
/// The stored name of an upload, as PocketBase makes it (§9): the snake_cased base name (ASCII word characters only,
/// at most 100; shorter than 3 gets 10 random characters), <c>_</c>, 10 random <c>[a-z0-9]</c>, then the original
/// extension (double extensions such as <c>.tar.gz</c> kept) stripped of unsafe characters, lower-cased and cut to
/// 20 characters, or one detected from the content when the upload has none. The result never holds a path separator
/// and never starts with a dot, so it is safe as the last segment of a storage key.
/// </summary>
public static class FileNames
{
    /// <summary>The longest name a record may reference (PocketBase's loose filename rule).</summary>
    public const int MaxLength = 150;

    private const string RandomAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    private const int RandomLength = 10;
    private const int MaxBaseLength = 100;
    private const int MaxExtensionLength = 20;

    /// <summary>A new unique stored name for an upload called <paramref name="originalName"/> whose content sniffed as <paramref name="contentType"/>.</summary>
    public static string Create(string originalName, string contentType)
    {
        var name = BaseName(originalName);
        var originalExtension = Extension(name);
        var extension = CleanExtension(originalExtension);
        if (extension.Length == 0)
        {
            extension = FileSniffer.ExtensionOf(contentType);
        }

        if (extension.Length > MaxExtensionLength)
        {
            extension = "." + extension[^MaxExtensionLength..];
        }

        var clean = SnakeCase(name[..^originalExtension.Length]);
        if (clean.Length < 3)
        {
            clean += Random();
        }
        else if (clean.Length > MaxBaseLength)
        {
            clean = clean[..MaxBaseLength];
        }

        return clean + "_" + Random() + extension;
    }

    /// <summary>
    /// Whether <paramref name="name"/> can be a stored file name: 1 to 150 characters, not starting with a dot, with no
    /// slash, backslash or control character. Anything else (a path, <c>..</c>, a temporary upload) is never served.
    /// </summary>
    public static bool IsValid(string name) =>
        name.Length is > 0 and <= MaxLength && name[0] != '.' && !name.Any(c => c is '/' or '\\' || char.IsControl(c));

    /// <summary>
    /// The file name part of what a client sent: browsers send a bare name, but some clients send a path, in either
    /// separator; only the part after the last one counts (Go's multipart reader does the same for <c>/</c>).
    /// </summary>
    private static string BaseName(string name)
    {
        var slash = name.LastIndexOfAny(['/', '\\']);
        return slash < 0 ? name : name[(slash + 1)..];
    }

    /// <summary>The extension with its dot, keeping a second one (<c>a.tar.gz</c> → <c>.tar.gz</c>); "" when there is none.</summary>
    private static string Extension(string name)
    {
        var primary = name.LastIndexOf('.');
        if (primary < 0)
        {
            return "";
        }

        var secondary = name.LastIndexOf('.', Math.Max(primary - 1, 0));
        return secondary >= 0 && secondary < primary ? name[secondary..] : name[primary..];
    }

    /// <summary>Keeps ASCII word characters and <c>. * - + = #</c>, lower-cased.</summary>
    private static string CleanExtension(string extension)
    {
        var result = new StringBuilder(extension.Length);
        foreach (var c in extension)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '*' or '-' or '+' or '=' or '#')
            {
                result.Append(char.ToLowerInvariant(c));
            }
        }

        return result.ToString();
    }

    /// <summary>
    /// PocketBase's <c>inflector.Snakecase</c>: split at anything that is not an ASCII letter or digit, join the words
    /// with <c>_</c>, break before an upper-case letter that follows a lower-case one, lower-case everything.
    /// </summary>
    internal static string SnakeCase(string text)
    {
        var result = new StringBuilder(text.Length + 8);
        var word = new StringBuilder();
        void Flush()
        {
            if (word.Length == 0)
            {
                return;
            }

            if (result.Length > 0)
            {
                result.Append('_');
            }

            for (var i = 0; i < word.Length; i++)
            {
                if (i > 0 && char.IsAsciiLetterUpper(word[i]) && !char.IsAsciiLetterUpper(word[i - 1]))
                {
                    result.Append('_');
                }

                result.Append(word[i]);
            }

            word.Clear();
        }

        foreach (var c in text)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                word.Append(c);
            }
            else
            {
                Flush();
            }
        }

        Flush();
        return result.ToString().ToLowerInvariant();
    }

    private static string Random() => RandomNumberGenerator.GetString(RandomAlphabet, RandomLength);
}
