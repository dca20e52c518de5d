using System.Text.Json.Nodes;
using Basalt.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Basalt.Api;

/// <summary>Record bodies, which may carry files: multipart read with the framework's reader under explicit limits.</summary>
public sealed partial class RequestBodyReader
{
    /// <summary>
    /// The most parts (values and files together) one form may have, as Go's multipart reader allows PocketBase; a
    /// body of thousands of tiny parts is refused before it costs more than its parsing.
    /// </summary>
    public const int MaxFormParts = 1000;

    private static readonly FormFileCollection NoFiles = [];

    /// <summary>
    /// Reads a record create or update body: JSON, or a form whose files come back beside the values. Multipart is
    /// read with <see cref="FormOptions"/> bounded by <paramref name="limit"/> (the collection's record body limit,
    /// which the body limit middleware also gave the server), at most <see cref="MaxFormParts"/> parts; file contents
    /// are buffered by the framework (on disk past 64 KB) until the request ends.
    /// </summary>
    public async Task<(JsonObject Body, IFormFileCollection Files)> ReadWithFilesAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType || !request.ContentType!.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
        {
            return (await ReadAsync(request, cancellationToken), NoFiles);
        }

        if (request.ContentLength > limit)
        {
            throw new ApiError(StatusCodes.Status413PayloadTooLarge, BodyLimitMiddleware.TooLargeMessage);
        }

        var formOptions = new FormOptions
        {
            ValueCountLimit = MaxFormParts,
            ValueLengthLimit = (int)Math.Min(options.Value.MaxBodySize, int.MaxValue),

            // One byte over the server's own limit, so a body past it fails there, as a 413.
            MultipartBodyLengthLimit = limit == long.MaxValue ? limit : limit + 1,
        };
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(formOptions, cancellationToken);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new ApiError(StatusCodes.Status413PayloadTooLarge, BodyLimitMiddleware.TooLargeMessage, null, e);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or FormatException)
        {
            throw ApiError.BadRequest(null, null);
        }

        return (FormBody(form), form.Files);
    }
}
