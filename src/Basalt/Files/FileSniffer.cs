using System.Text;

namespace Basalt.Files;

/// <summary>
/// Tells a file's media type from its first bytes, never from the name or the type a client claimed. A signature table
/// after the WHATWG MIME Sniffing Standard and the types PocketBase's detector reports for common uploads (images,
/// audio, video, documents, archives, fonts), then a text check: bytes the standard calls binary make
/// <c>application/octet-stream</c>; text is HTML, SVG, XML, JSON or plain text. NuGet offers no maintained detector
/// that restores here without a native libmagic, so the table is Basalt's own.
/// </summary>
public static class FileSniffer
{
    /// <summary>How many leading bytes are read to decide (as PocketBase's detector).</summary>
    public const int HeadLength = 3072;

    public const string OctetStream = "application/octet-stream";
    public const string PlainText = "text/plain; charset=utf-8";

    private static readonly (byte[] Magic, string Type)[] Prefixes =
    [
        ([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], "image/png"),
        ([0xFF, 0xD8, 0xFF], "image/jpeg"),
        ("GIF87a"u8.ToArray(), "image/gif"),
        ("GIF89a"u8.ToArray(), "image/gif"),
        ([0x00, 0x00, 0x01, 0x00], "image/x-icon"),
        ("II*\0"u8.ToArray(), "image/tiff"),
        ("MM\0*"u8.ToArray(), "image/tiff"),
        ("%PDF-"u8.ToArray(), "application/pdf"),
        ("%!PS"u8.ToArray(), "application/postscript"),
        ("{\\rtf"u8.ToArray(), "text/rtf"),
        ([0x50, 0x4B, 0x03, 0x04], "application/zip"),
        ([0x1F, 0x8B], "application/gzip"),
        ("BZh"u8.ToArray(), "application/x-bzip2"),
        ([0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00], "application/x-xz"),
        ([0x28, 0xB5, 0x2F, 0xFD], "application/zstd"),
        ([(byte)'7', (byte)'z', 0xBC, 0xAF, 0x27, 0x1C], "application/x-7z-compressed"),
        ("Rar!\x1A\x07"u8.ToArray(), "application/x-rar-compressed"),
        ("SQLite format 3\0"u8.ToArray(), "application/vnd.sqlite3"),
        ("\0asm"u8.ToArray(), "application/wasm"),
        ([0x7F, (byte)'E', (byte)'L', (byte)'F'], "application/x-elf"),
        ("MZ"u8.ToArray(), "application/vnd.microsoft.portable-executable"),
        ("ID3"u8.ToArray(), "audio/mpeg"),
        ("fLaC"u8.ToArray(), "audio/flac"),
        ("MThd"u8.ToArray(), "audio/midi"),
        ("wOFF"u8.ToArray(), "font/woff"),
        ("wOF2"u8.ToArray(), "font/woff2"),
        ("OTTO"u8.ToArray(), "font/otf"),
        ([0x00, 0x01, 0x00, 0x00, 0x00], "font/ttf"),
    ];

    private static readonly Dictionary<string, string> Extensions = new (string Type, string Extension)[]
    {
        ("image/png", ".png"), ("image/jpeg", ".jpg"), ("image/gif", ".gif"), ("image/webp", ".webp"),
        ("image/bmp", ".bmp"), ("image/x-icon", ".ico"), ("image/tiff", ".tiff"), ("image/avif", ".avif"),
        ("image/heic", ".heic"), ("image/svg+xml", ".svg"), ("application/pdf", ".pdf"),
        ("application/postscript", ".ps"), ("text/rtf", ".rtf"), ("application/zip", ".zip"),
        ("application/gzip", ".gz"), ("application/x-bzip2", ".bz2"), ("application/x-xz", ".xz"),
        ("application/zstd", ".zst"), ("application/x-7z-compressed", ".7z"),
        ("application/x-rar-compressed", ".rar"), ("application/x-tar", ".tar"),
        ("application/vnd.sqlite3", ".sqlite"), ("application/wasm", ".wasm"),
        ("application/vnd.microsoft.portable-executable", ".exe"), ("audio/mpeg", ".mp3"), ("audio/flac", ".flac"),
        ("audio/midi", ".midi"), ("audio/wav", ".wav"), ("audio/aiff", ".aiff"), ("audio/ogg", ".ogg"),
        ("audio/aac", ".aac"), ("audio/x-m4a", ".m4a"), ("video/ogg", ".ogv"), ("application/ogg", ".ogg"),
        ("video/mp4", ".mp4"), ("video/quicktime", ".mov"), ("video/3gpp", ".3gp"), ("video/webm", ".webm"),
        ("video/x-matroska", ".mkv"), ("video/x-msvideo", ".avi"), ("font/woff", ".woff"), ("font/woff2", ".woff2"),
        ("font/otf", ".otf"), ("font/ttf", ".ttf"), ("text/html; charset=utf-8", ".html"),
        ("text/xml; charset=utf-8", ".xml"), ("application/json", ".json"), (PlainText, ".txt"),
        ("text/plain", ".txt"),
    }.ToDictionary(p => p.Type, p => p.Extension, StringComparer.Ordinal);

    /// <summary>The media type of content starting with <paramref name="head"/> (up to <see cref="HeadLength"/> bytes).</summary>
    public static string Detect(ReadOnlySpan<byte> head)
    {
        if (head.IsEmpty)
        {
            return "text/plain";
        }

        foreach (var (magic, type) in Prefixes)
        {
            if (head.StartsWith(magic))
            {
                return type;
            }
        }

        return Container(head) ?? Audio(head) ?? (IsText(head) ? Text(head) : OctetStream);
    }

    /// <summary>Reads the head of <paramref name="content"/> and detects its type; the stream is left wherever the read stopped.</summary>
    public static async Task<string> DetectAsync(Stream content, CancellationToken cancellationToken)
    {
        var buffer = new byte[HeadLength];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await content.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        return Detect(buffer.AsSpan(0, length));
    }

    /// <summary>The extension (with its dot) PocketBase gives a file of this type when the upload has none; "" if unknown.</summary>
    public static string ExtensionOf(string contentType) => Extensions.GetValueOrDefault(contentType, "");

    /// <summary>The type without parameters, lower-cased: <c>text/plain; charset=utf-8</c> → <c>text/plain</c>.</summary>
    public static string Essence(string contentType) => contentType.Split(';', 2)[0].Trim().ToLowerInvariant();

    /// <summary>RIFF, ISO base media (ftyp), Matroska and tar: signatures that are not at offset zero or need a second look.</summary>
    private static string? Container(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 12 && head.StartsWith("RIFF"u8))
        {
            var form = head.Slice(8, 4);
            return form.SequenceEqual("WEBP"u8) ? "image/webp"
                : form.SequenceEqual("WAVE"u8) ? "audio/wav"
                : form.SequenceEqual("AVI "u8) ? "video/x-msvideo"
                : null;
        }

        // "BM" alone starts plenty of text; a bitmap also has a known DIB header size at offset 14.
        if (head.Length >= 18 && head.StartsWith("BM"u8) && System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(head.Slice(14, 4)) is 12 or 40 or 52 or 56 or 64 or 108 or 124)
        {
            return "image/bmp";
        }

        if (head.Length >= 12 && head.StartsWith("FORM"u8) && (head.Slice(8, 4).SequenceEqual("AIFF"u8) || head.Slice(8, 4).SequenceEqual("AIFC"u8)))
        {
            return "audio/aiff";
        }

        if (head.Length >= 12 && head.Slice(4, 4).SequenceEqual("ftyp"u8))
        {
            var brand = Encoding.ASCII.GetString(head.Slice(8, 4));
            return brand switch
            {
                "avif" or "avis" => "image/avif",
                "heic" or "heix" or "heim" or "heis" or "mif1" or "msf1" => "image/heic",
                "qt  " => "video/quicktime",
                "M4A " or "M4B " => "audio/x-m4a",
                _ when brand.StartsWith("3g", StringComparison.Ordinal) => "video/3gpp",
                _ => "video/mp4",
            };
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3]))
        {
            return head[..Math.Min(head.Length, 64)].IndexOf("webm"u8) >= 0 ? "video/webm" : "video/x-matroska";
        }

        if (head.StartsWith("OggS"u8))
        {
            return head.IndexOf("\x01vorbis"u8) >= 0 || head.IndexOf("OpusHead"u8) >= 0 || head.IndexOf("\x7FFLAC"u8) >= 0 ? "audio/ogg"
                : head.IndexOf("\x80theora"u8) >= 0 ? "video/ogg"
                : "application/ogg";
        }

        return head.Length >= 262 && head.Slice(257, 5).SequenceEqual("ustar"u8) ? "application/x-tar" : null;
    }

    /// <summary>MPEG audio and ADTS AAC frames start with an 11- or 12-bit sync word and no header.</summary>
    private static string? Audio(ReadOnlySpan<byte> head)
    {
        if (head.Length < 2 || head[0] != 0xFF)
        {
            return null;
        }

        return (head[1] & 0xF6) == 0xF0 ? "audio/aac" : (head[1] & 0xE0) == 0xE0 && (head[1] & 0x06) != 0 ? "audio/mpeg" : null;
    }

    /// <summary>No binary data byte (WHATWG: 0x00–0x08, 0x0B, 0x0E–0x1A, 0x1C–0x1F) in the head.</summary>
    private static bool IsText(ReadOnlySpan<byte> head)
    {
        foreach (var b in head)
        {
            if (b <= 0x08 || b == 0x0B || (b >= 0x0E && b <= 0x1A) || (b >= 0x1C && b <= 0x1F))
            {
                return false;
            }
        }

        return true;
    }

    private static string Text(ReadOnlySpan<byte> head)
    {
        var text = head;
        if (text.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            text = text[3..];
        }

        text = text.TrimStart(" \t\r\n\f"u8);
        if (IsHtml(text))
        {
            return "text/html; charset=utf-8";
        }

        // An SVG document may start with an XML declaration, a doctype or comments; any "<svg" in the head makes it
        // SVG, as PocketBase's detector decides, so markup that a browser would run as SVG is always labelled as such.
        if (text.Length > 0 && text[0] == (byte)'<' && text.IndexOf("<svg"u8) >= 0)
        {
            return "image/svg+xml";
        }

        if (text.StartsWith("<?xml"u8))
        {
            return "text/xml; charset=utf-8";
        }

        return text.Length > 0 && (text[0] == (byte)'{' || text[0] == (byte)'[') && IsJson(head) ? "application/json" : PlainText;
    }

    /// <summary>The WHATWG "text/html" patterns: one of these tags, case-insensitive, followed by a space or <c>&gt;</c>.</summary>
    private static bool IsHtml(ReadOnlySpan<byte> text)
    {
        ReadOnlySpan<string> tags =
        [
            "<!DOCTYPE HTML", "<HTML", "<HEAD", "<SCRIPT", "<IFRAME", "<H1", "<DIV", "<FONT", "<TABLE", "<A", "<STYLE",
            "<TITLE", "<B", "<BODY", "<BR", "<P", "<!--",
        ];
        foreach (var tag in tags)
        {
            if (text.Length > tag.Length && StartsWithIgnoreCase(text, tag) && text[tag.Length] is (byte)' ' or (byte)'>' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\f')
            {
                return true;
            }
        }

        return false;
    }

    private static bool StartsWithIgnoreCase(ReadOnlySpan<byte> text, string ascii)
    {
        for (var i = 0; i < ascii.Length; i++)
        {
            if (char.ToUpperInvariant((char)text[i]) != ascii[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Only a head that holds a whole JSON document counts; a cut-off one reads as text.</summary>
    private static bool IsJson(ReadOnlySpan<byte> head)
    {
        var reader = new System.Text.Json.Utf8JsonReader(head, new System.Text.Json.JsonReaderOptions { AllowTrailingCommas = false });
        try
        {
            while (reader.Read())
            {
            }

            return reader.BytesConsumed == head.Length || head[(int)reader.BytesConsumed..].Trim(" \t\r\n"u8).IsEmpty;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}
