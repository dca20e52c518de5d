using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Basalt.Http;
using Basalt.Model;
using Basalt.Query;
using Basalt.Records;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Basalt.Api;

/// <summary>
/// <c>/api/collections/{collection}/records[/{id}]</c>: list and view (GET, HEAD), create (POST, 200), update (PATCH)
/// and delete (DELETE, 204). Handlers parse the query and body into typed requests and hand them to <see cref="RecordService"/>.
/// </summary>
public static class RecordsEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var records = api.MapGroup("/collections/{collection}/records");
        records.MapMethods("", ["GET", "HEAD"], ListAsync).AddEndpointFilterFactory(ClientReadSlotFilter.Create);
        records.MapPost("", CreateAsync).WithMetadata(RecordBodyLimit.Metadata);
        records.MapMethods("/{id}", ["GET", "HEAD"], ViewAsync).AddEndpointFilterFactory(ClientReadSlotFilter.Create);
        records.MapPatch("/{id}", UpdateAsync).WithMetadata(RecordBodyLimit.Metadata);
        records.MapDelete("/{id}", DeleteAsync);
    }

    private static async Task ListAsync(
        HttpContext context, string collection, RecordService service, ListTimingThrottle throttle, ClientIpResolver ips)
    {
        var query = context.Request.Query;
        var picker = FieldsPicker.Parse(query["fields"]);
        var listQuery = ListQueryReader.Read(query);
        var request = RequestInfoFactory.Create(context);
        var page = await service.ListAsync(collection, listQuery, request, context.RequestAborted);
        if (page.Items.Count == 0)
        {
            await throttle.ThrottleAsync(
                await ips.ResolveAsync(context), service.Resolve(collection), listQuery, request, 0, context.RequestAborted);
        }

        await WriteAsync(context, picker, writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("page", page.Page);
            writer.WriteNumber("perPage", page.PerPage);
            writer.WriteNumber("totalItems", page.TotalItems);
            writer.WriteNumber("totalPages", page.TotalPages);
            writer.WriteStartArray("items");
            foreach (var record in page.Items)
            {
                RecordSerializer.Write(writer, record, request);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    private static async Task ViewAsync(HttpContext context, string collection, string id, RecordService service)
    {
        var picker = FieldsPicker.Parse(context.Request.Query["fields"]);
        var request = RequestInfoFactory.Create(context);
        var record = await service.ViewAsync(collection, id, context.Request.Query["expand"], request, context.RequestAborted);
        await WriteRecordAsync(context, picker, record, request);
    }

    private static async Task CreateAsync(HttpContext context, string collection, RecordService service, RequestBodyReader reader, IOptions<ApiOptions> options)
    {
        var picker = FieldsPicker.Parse(context.Request.Query["fields"]);
        var request = RequestInfoFactory.Create(context);
        var (body, uploads) = await ReadBodyAsync(context, service.Resolve(collection), reader, options.Value);
        var record = await service.CreateAsync(collection, body, uploads, context.Request.Query["expand"], request, context.RequestAborted);
        await WriteRecordAsync(context, picker, record, request);
    }

    private static async Task UpdateAsync(HttpContext context, string collection, string id, RecordService service, RequestBodyReader reader, IOptions<ApiOptions> options)
    {
        var picker = FieldsPicker.Parse(context.Request.Query["fields"]);
        var request = RequestInfoFactory.Create(context);
        var (body, uploads) = await ReadBodyAsync(context, service.Resolve(collection), reader, options.Value);
        var record = await service.UpdateAsync(collection, id, body, uploads, context.Request.Query["expand"], request, context.RequestAborted);
        await WriteRecordAsync(context, picker, record, request);
    }

    /// <summary>The body and the uploads it carries, within the collection's record body limit.</summary>
    private static async Task<(JsonObject Body, List<RecordUpload> Uploads)> ReadBodyAsync(HttpContext context, Collection collection, RequestBodyReader reader, ApiOptions options)
    {
        var limit = RecordBodyLimit.For(collection, options.MaxBodySize);
        var (body, files) = await reader.ReadWithFilesAsync(context.Request, limit, context.RequestAborted);
        return (body, files.Count == 0 ? [] : await FormUploads.ReadAsync(collection, files, context.RequestAborted));
    }

    private static async Task DeleteAsync(HttpContext context, string collection, string id, RecordService service)
    {
        await service.DeleteAsync(collection, id, RequestInfoFactory.Create(context), context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static Task WriteRecordAsync(HttpContext context, FieldsPicker? picker, Record record, RequestInfo request) =>
        WriteAsync(context, picker, writer => RecordSerializer.Write(writer, record, request));

    /// <summary>
    /// Writes JSON straight to the response, or through the picker when <c>?fields=</c> was given; a read frees its turn
    /// once the answer is made, before waiting for the client to take it (<see cref="HeldReadTurn"/>).
    /// </summary>
    internal static async Task WriteAsync(HttpContext context, FieldsPicker? picker, Action<Utf8JsonWriter> write)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        if (picker is null)
        {
            await using (var writer = new Utf8JsonWriter(context.Response.BodyWriter))
            {
                write(writer);
            }

            HeldReadTurn.Release(context);
            await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
            return;
        }

        var buffer = new ArrayBufferWriter<byte>();
        await using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        await using (var writer = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            picker.WriteTo(buffer.WrittenSpan, writer);
        }

        HeldReadTurn.Release(context);
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }
}
