using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Basalt.Collections;
using Basalt.Errors;
using Basalt.Records;
using Basalt.Settings;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Basalt.Api;

/// <summary>
/// <c>POST /api/batch</c> (§10): off unless <c>batch.enabled</c>; the body under <c>batch.maxBodySize</c> (this route
/// is exempt from the global limit), at most <c>batch.maxRequests</c> sub-requests, run by
/// <see cref="RecordBatchService"/> in one transaction within <c>batch.timeout</c>. The answer is one
/// <c>{status, body}</c> per sub-request; a failure is 400 naming the failing index and applies nothing.
/// </summary>
public static class BatchEndpoints
{
    public const string Path = "/api/batch";
    public const string NotAllowed = "Batch requests are not allowed.";
    public const string TransactionFailed = "Batch transaction failed.";

    /// <summary>A zero <c>batch.maxBodySize</c> means this (PocketBase's 128 MiB).</summary>
    public const long DefaultMaxBodySize = 128L << 20;

    /// <summary>A timeout of zero or less means this many seconds, as in PocketBase.</summary>
    public const int DefaultTimeoutSeconds = 3;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/batch", HandleAsync);
    }

    /// <summary>Whether a request path is this route's, for the global body limit to leave it to this one.</summary>
    public static bool IsBatchPath(PathString path) =>
        (path.Value ?? "").TrimEnd('/').Equals(Path, StringComparison.OrdinalIgnoreCase);

    private static async Task HandleAsync(HttpContext context, SettingsService settings, RecordBatchService batches, CollectionMissCheck misses)
    {
        var batch = (await settings.GetAsync(context.RequestAborted)).Batch;
        if (!batch.Enabled || batch.MaxRequests <= 0)
        {
            throw ApiError.Forbidden(NotAllowed);
        }

        var (payload, files) = await BatchBodyReader.ReadAsync(
            context.Request, batch.MaxBodySize > 0 ? batch.MaxBodySize : DefaultMaxBodySize, context.RequestAborted);
        var items = BatchRequestParser.Read(payload, batch.MaxRequests);
        files.EnsurePlaced(items.Count);
        var caller = RequestInfoFactory.Create(context, "batch");
        var operations = new List<BatchOperation>(items.Count);
        var pickers = new List<FieldsPicker?>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var uploads = new List<RecordUpload>();
            foreach (var (key, file) in files.For(i))
            {
                uploads.Add(await FormUploads.ReadAsync(key, file, context.RequestAborted));
            }

            var (operation, picker) = BatchRequestParser.ToOperation(items[i], caller, uploads);
            operations.Add(operation);
            pickers.Add(picker);
        }

        // The route names no collection, so CollectionMissMiddleware checks none: the body's are checked here, before
        // the batch's timeout starts.
        await misses.CheckMissesAsync(operations.Select(o => o.Collection), context.RequestAborted);
        var timeout = TimeSpan.FromSeconds(batch.Timeout > 0 ? batch.Timeout : DefaultTimeoutSeconds);
        IReadOnlyList<BatchResult> results;
        try
        {
            results = await batches.RunAsync(operations, timeout, context.RequestAborted);
        }
        catch (BatchFailedException e)
        {
            throw Failure(e);
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await using (var writer = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            writer.WriteStartArray();
            for (var i = 0; i < results.Count; i++)
            {
                WriteResult(writer, results[i], pickers[i]);
            }

            writer.WriteEndArray();
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    /// <summary>
    /// <c>data.requests.N = {code, message, response}</c> with the failing sub-request's own envelope as
    /// <c>response</c>; a timeout names no request and its data is empty.
    /// </summary>
    private static ApiError Failure(BatchFailedException failure)
    {
        if (failure is not { Index: { } index, Error: { } error })
        {
            return ApiError.BadRequest(TransactionFailed);
        }

        var detail = new JsonObject
        {
            ["code"] = "batch_request_failed",
            ["message"] = "Batch request failed.",
            ["response"] = error.ToEnvelope(),
        };
        var requests = new JsonObject { [index.ToString(System.Globalization.CultureInfo.InvariantCulture)] = detail };
        return new ApiError(StatusCodes.Status400BadRequest, TransactionFailed, new JsonObject { ["requests"] = requests }, failure);
    }

    private static void WriteResult(Utf8JsonWriter writer, BatchResult result, FieldsPicker? picker)
    {
        writer.WriteStartObject();
        writer.WriteNumber("status", result.Status);
        writer.WritePropertyName("body");
        if (result.Record is not { } record)
        {
            writer.WriteNullValue();
        }
        else if (picker is null)
        {
            RecordSerializer.Write(writer, record, result.Request);
        }
        else
        {
            var buffer = new ArrayBufferWriter<byte>();
            using (var whole = new Utf8JsonWriter(buffer))
            {
                RecordSerializer.Write(whole, record, result.Request);
            }

            if (picker.Apply(JsonNode.Parse(buffer.WrittenSpan)) is { } picked)
            {
                picked.WriteTo(writer);
            }
            else
            {
                writer.WriteNullValue();
            }
        }

        writer.WriteEndObject();
    }
}
