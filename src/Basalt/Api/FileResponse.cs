using System.Globalization;
using Basalt.Files;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Headers;
using Microsoft.Net.Http.Headers;

namespace Basalt.Api;

/// <summary>
/// Writes a stored file as PocketBase's <c>fs.Serve</c> does, with the conditional and range handling of RFC 9110:
/// <c>ETag</c>/<c>Last-Modified</c> with <c>If-None-Match</c>/<c>If-Modified-Since</c> (304) and
/// <c>If-Match</c>/<c>If-Unmodified-Since</c> (412), one byte range (206, or 416 when unsatisfiable; several ranges
/// get the whole file), and headers that keep active content from running in Basalt's origin: the sniffed type with
/// <c>nosniff</c>, <c>Content-Security-Policy: … sandbox</c>, and <c>attachment</c> for everything but images,
/// audio, video and PDF. Stored files never change (a new upload gets a new name), so the ETag is strong.
/// </summary>
public static class FileResponse
{
    public const string ContentSecurityPolicy = "default-src 'none'; media-src 'self'; style-src 'unsafe-inline'; sandbox";
    public const string CacheControl = "max-age=2592000, stale-while-revalidate=86400";

    /// <summary>Types a browser may show in place (PocketBase's list); everything else is served as an attachment.</summary>
    private static readonly HashSet<string> InlineTypes = new(StringComparer.Ordinal)
    {
        "image/png", "image/jpg", "image/jpeg", "image/gif", "image/webp", "image/x-icon", "image/bmp",
        "video/webm", "video/mp4", "video/3gpp", "video/quicktime", "video/x-ms-wmv",
        "audio/basic", "audio/aiff", "audio/mpeg", "audio/midi", "audio/mp3", "audio/wave", "audio/wav", "audio/x-wav",
        "audio/x-mpeg", "audio/x-m4a", "audio/aac", "application/pdf", "application/x-pdf",
    };

    public static async Task WriteAsync(HttpContext context, ServedFile file, Func<long, long, CancellationToken, Task<Stream>> open)
    {
        var request = context.Request;
        var response = context.Response;
        var etag = new EntityTagHeaderValue("\"" + file.LastModified.UtcTicks.ToString("x", CultureInfo.InvariantCulture) + "-" + file.Length.ToString("x", CultureInfo.InvariantCulture) + "\"");
        var lastModified = new DateTimeOffset(file.LastModified.UtcDateTime.Ticks - (file.LastModified.UtcDateTime.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var headers = response.GetTypedHeaders();
        response.Headers.ContentType = ServedType(file);
        response.Headers.ContentDisposition = Disposition(file, request.Query["download"].FirstOrDefault());
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.CacheControl = file.Protected ? "private, " + CacheControl : CacheControl;
        response.Headers.AcceptRanges = "bytes";
        headers.ETag = etag;
        headers.LastModified = lastModified;

        var status = Precondition(request.GetTypedHeaders(), etag, lastModified, HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method));
        if (status != StatusCodes.Status200OK)
        {
            response.StatusCode = status;
            return;
        }

        var (offset, length, partial) = Range(request, etag, lastModified, file.Length);
        if (length < 0)
        {
            response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
            response.Headers.ContentRange = "bytes */" + file.Length.ToString(CultureInfo.InvariantCulture);
            return;
        }

        response.StatusCode = partial ? StatusCodes.Status206PartialContent : StatusCodes.Status200OK;
        if (partial)
        {
            response.Headers.ContentRange = $"bytes {offset}-{offset + length - 1}/{file.Length}";
        }

        response.ContentLength = length;
        if (length == 0)
        {
            return;
        }

        await using var stream = await open(offset, length, context.RequestAborted);
        await CopyAsync(stream, response.Body, length, context.RequestAborted);
    }

    /// <summary>
    /// The sniffed type, except that text named <c>.svg</c> or <c>.css</c> is labelled as such (PocketBase does the same,
    /// as content alone cannot tell CSS). <c>.js</c> is not: served as text with <c>nosniff</c>, an uploaded script can
    /// never be loaded as one from Basalt's origin.
    /// </summary>
    private static string ServedType(ServedFile file)
    {
        var essence = FileSniffer.Essence(file.ContentType);
        var textual = essence is "text/plain" or "text/xml" or "image/svg+xml";
        var extension = Path.GetExtension(file.Name).ToLowerInvariant();
        return textual && extension == ".svg" ? "image/svg+xml"
            : textual && extension == ".css" ? "text/css"
            : file.ContentType;
    }

    private static string Disposition(ServedFile file, string? download)
    {
        var inline = !ParseBool(download) && InlineTypes.Contains(FileSniffer.Essence(file.ContentType));
        var name = file.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' or '+' or '#' or '*')
            ? file.Name
            : "\"" + file.Name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
        return (inline ? "inline" : "attachment") + "; filename=" + name;
    }

    /// <summary>Go's strconv.ParseBool, which PocketBase reads <c>?download</c> with: anything else is false.</summary>
    private static bool ParseBool(string? value) => value is "1" or "t" or "T" or "true" or "TRUE" or "True";

    /// <summary>RFC 9110 §13.2.2: the status the preconditions give (200 to go on).</summary>
    private static int Precondition(RequestHeaders request, EntityTagHeaderValue etag, DateTimeOffset lastModified, bool isRead)
    {
        if (request.IfMatch is { Count: > 0 } ifMatch)
        {
            if (!ifMatch.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(etag, useStrongComparison: true)))
            {
                return StatusCodes.Status412PreconditionFailed;
            }
        }
        else if (request.IfUnmodifiedSince is { } since && lastModified > since)
        {
            return StatusCodes.Status412PreconditionFailed;
        }

        if (request.IfNoneMatch is { Count: > 0 } ifNoneMatch)
        {
            if (ifNoneMatch.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(etag, useStrongComparison: false)))
            {
                return isRead ? StatusCodes.Status304NotModified : StatusCodes.Status412PreconditionFailed;
            }
        }
        else if (isRead && request.IfModifiedSince is { } modifiedSince && lastModified <= modifiedSince)
        {
            return StatusCodes.Status304NotModified;
        }

        return StatusCodes.Status200OK;
    }

    /// <summary>The byte range to send: the whole file, one satisfiable range (partial), or length -1 when unsatisfiable.</summary>
    private static (long Offset, long Length, bool Partial) Range(HttpRequest request, EntityTagHeaderValue etag, DateTimeOffset lastModified, long size)
    {
        var whole = (0L, size, false);
        var typed = request.GetTypedHeaders();
        if (!HttpMethods.IsGet(request.Method) || typed.Range is not { } range || !string.Equals(range.Unit.Value, "bytes", StringComparison.OrdinalIgnoreCase))
        {
            return whole;
        }

        if (typed.IfRange is { } ifRange &&
            !(ifRange.EntityTag is { } tag ? tag.Compare(etag, useStrongComparison: true) : ifRange.LastModified == lastModified))
        {
            return whole;
        }

        if (range.Ranges.Count != 1)
        {
            return whole;
        }

        var item = range.Ranges.First();
        long from, to;
        if (item.From is null)
        {
            var suffix = Math.Min(item.To ?? 0, size);
            if (suffix <= 0)
            {
                return (0, -1, false);
            }

            (from, to) = (size - suffix, size - 1);
        }
        else
        {
            from = item.From.Value;
            to = Math.Min(item.To ?? size - 1, size - 1);
            if (from >= size || from > to)
            {
                return (0, -1, false);
            }
        }

        return (from, to - from + 1, true);
    }

    private static async Task CopyAsync(Stream source, Stream destination, long length, CancellationToken cancellationToken)
    {
        var buffer = new byte[(int)Math.Min(81920, length)];
        while (length > 0)
        {
            var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length)), cancellationToken);
            if (read == 0)
            {
                throw new IOException("The stored file ended before its recorded length.");
            }

            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            length -= read;
        }
    }
}
