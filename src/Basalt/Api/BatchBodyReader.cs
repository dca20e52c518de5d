using System.Text.Json.Nodes;
using Basalt.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Basalt.Api;

/// <summary>
/// Reads the body of <c>POST /api/batch</c> under the batch's own size limit: JSON, or multipart as the JS SDK always
/// sends it, where <c>@jsonPayload</c> holds the JSON and files come as <c>requests.N.field</c> or
/// <c>requests[N].field</c> parts (at most <see cref="RequestBodyReader.MaxFormParts"/> parts, as for a record body).
/// Kept apart from <see cref="RequestBodyReader"/> because the limit differs and only the payload and the file parts
/// matter here.
/// </summary>
internal static class BatchBodyReader
{
    public const string ReadFailed = "Failed to read the submitted batch data.";

    /// <summary>
    /// The body as a JSON object, and its file parts by sub-request; the files stay buffered by the framework (on disk
    /// past 64 KB) until the request ends, which is after the batch has stored them.
    /// </summary>
    public static async Task<(JsonObject Payload, BatchFileParts Files)> ReadAsync(
        HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            throw new ApiError(StatusCodes.Status413PayloadTooLarge, BodyLimitMiddleware.TooLargeMessage);
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        try
        {
            return request.HasFormContentType
                ? await ReadFormAsync(request, limit, cancellationToken)
                : (await ReadJsonAsync(request, limit, cancellationToken), BatchFileParts.None);
        }
        catch (ApiError e) when (e.Status == StatusCodes.Status400BadRequest)
        {
            throw ApiError.BadRequest(ReadFailed);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw ApiError.BadRequest(ReadFailed);
        }
    }

    private static async Task<JsonObject> ReadJsonAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        var contentType = request.ContentType ?? "";
        var bytes = await RequestBodies.ReadAsync(request.Body, request.ContentLength, limit, cancellationToken);
        if (bytes.Length == 0)
        {
            return [];
        }

        var mediaType = contentType.Split(';', 2)[0].Trim();
        if (mediaType.Length > 0 && !mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) &&
            !mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase))
        {
            throw ApiError.BadRequest(ReadFailed);
        }

        return RequestBodyReader.ParseObject(bytes);
    }

    private static async Task<(JsonObject, BatchFileParts)> ReadFormAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        var capped = (int)Math.Min(limit, int.MaxValue);
        var options = new FormOptions
        {
            ValueCountLimit = RequestBodyReader.MaxFormParts,
            MultipartBodyLengthLimit = limit,
            ValueLengthLimit = capped,
            BufferBodyLengthLimit = limit,
        };
        var form = await request.ReadFormAsync(options, cancellationToken);
        var payload = new JsonObject();
        if (form.TryGetValue(RequestBodyReader.JsonPayloadKey, out var parts))
        {
            foreach (var part in parts)
            {
                foreach (var (key, value) in RequestBodyReader.ParseObject(System.Text.Encoding.UTF8.GetBytes(part ?? "")))
                {
                    payload[key] = value?.DeepClone();
                }
            }
        }

        return (payload, BatchFileParts.From(form.Files));
    }
}
