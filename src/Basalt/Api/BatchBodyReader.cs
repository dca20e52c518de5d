using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Basalt.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Basalt.Api;

/// <summary>
/// Reads the body of <c>POST /api/batch</c> under the batch's own size limit: JSON, or multipart as the JS SDK always
/// sends it, where <c>@jsonPayload</c> holds the JSON and files come as <c>requests.N.field</c> or
/// <c>requests[N].field</c> parts. Kept apart from <see cref="RequestBodyReader"/> because the limit differs and only
/// the payload and the file parts matter here.
/// </summary>
internal static partial class BatchBodyReader
{
    public const string ReadFailed = "Failed to read the submitted batch data.";

    /// <summary>The body as a JSON object, and the names of the file parts each sub-request (by index) was sent.</summary>
    public static async Task<(JsonObject Payload, Dictionary<int, List<string>> Files)> ReadAsync(
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
                : (await ReadJsonAsync(request, limit, cancellationToken), []);
        }
        catch (ApiError e) when (e.Status == StatusCodes.Status400BadRequest)
        {
            throw ApiError.BadRequest(ReadFailed);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException)
        {
            throw ApiError.BadRequest(ReadFailed);
        }
    }

    private static async Task<JsonObject> ReadJsonAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        var contentType = request.ContentType ?? "";
        var bytes = await ReadLimitedAsync(request.Body, limit, cancellationToken);
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

    private static async Task<(JsonObject, Dictionary<int, List<string>>)> ReadFormAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        var capped = (int)Math.Min(limit, int.MaxValue);
        var form = await request.ReadFormAsync(
            new FormOptions { MultipartBodyLengthLimit = limit, ValueLengthLimit = capped, BufferBodyLengthLimit = limit },
            cancellationToken);
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

        var files = new Dictionary<int, List<string>>();
        foreach (var file in form.Files)
        {
            var match = FilePart().Match(file.Name);
            if (match.Success && int.TryParse(match.Groups["index"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                if (!files.TryGetValue(index, out var names))
                {
                    files[index] = names = [];
                }

                names.Add(match.Groups["field"].Value);
            }
        }

        return (payload, files);
    }

    private static async Task<byte[]> ReadLimitedAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new ApiError(StatusCodes.Status413PayloadTooLarge, BodyLimitMiddleware.TooLargeMessage);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    [GeneratedRegex(@"^requests(?:\.(?<index>[0-9]{1,9})\.|\[(?<index>[0-9]{1,9})\]\.)(?<field>.+)$", RegexOptions.Singleline)]
    private static partial Regex FilePart();
}
