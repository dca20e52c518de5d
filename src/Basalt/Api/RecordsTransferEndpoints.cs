using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Basalt.Errors;
using Basalt.Model;
using Basalt.Records;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Basalt.Api;

/// <summary>
/// Records import and export (superusers only). <c>GET /api/collections/{c}/export?format=json|csv[&amp;filter=]</c>
/// streams every record as the records API shows it to a superuser: a JSON array, or CSV with a header row of field
/// names (JSON text in the cells of json, multiple select, relation and file fields). <c>POST
/// /api/collections/{c}/import?format=json|csv</c> takes the file as the raw body or a multipart <c>file</c> field
/// and creates every row in one transaction through <see cref="RecordTransferService"/>: <c>{imported}</c>, or 400
/// listing the rejected rows and writing nothing.
/// </summary>
public static class RecordsTransferEndpoints
{
    private const string LoggerName = "Basalt.Api.RecordsTransfer";

    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/collections/{idOrName}");
        group.AddEndpointFilter(async (context, next) =>
        {
            CollectionsEndpoints.RequireSuperuser(context.HttpContext);
            return await next(context);
        });
        group.MapMethods("/export", ["GET", "HEAD"], ExportAsync);
        group.MapPost("/import", ImportAsync)
            .WithMetadata(new BodySizeLimit((context, _) => context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.ImportMaxBodySize));
    }

    private static async Task ExportAsync(HttpContext context, string idOrName, RecordService records, RecordTransferService transfer, ILoggerFactory logs)
    {
        var csv = Format(context.Request, null) == "csv";
        var collection = records.Resolve(idOrName);
        var request = RequestInfoFactory.Create(context);
        await using var pages = transfer.ExportAsync(collection.Id, context.Request.Query["filter"], request, context.RequestAborted).GetAsyncEnumerator(context.RequestAborted);

        // The first page is read before the answer starts, so a bad filter is still an error envelope.
        var more = await pages.MoveNextAsync();
        context.Response.ContentType = csv ? "text/csv; charset=utf-8" : "application/json";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{collection.Name}.{(csv ? "csv" : "json")}\"";
        var count = csv
            ? await WriteCsvAsync(context.Response.Body, collection, pages, more, request, context.RequestAborted)
            : await WriteJsonAsync(context.Response.Body, pages, more, request, context.RequestAborted);
        var logger = logs.CreateLogger(LoggerName);
        Log.RecordsExported(logger, count, collection.Name, csv ? "csv" : "json");
    }

    private static async Task<int> WriteJsonAsync(
        Stream body, IAsyncEnumerator<IReadOnlyList<Record>> pages, bool more, Query.RequestInfo request, CancellationToken cancellationToken)
    {
        await using var writer = new Utf8JsonWriter(body);
        writer.WriteStartArray();
        var count = 0;
        for (; more; more = await pages.MoveNextAsync())
        {
            foreach (var record in pages.Current)
            {
                RecordSerializer.Write(writer, record, request);
                count++;
            }

            await writer.FlushAsync(cancellationToken);
        }

        writer.WriteEndArray();
        await writer.FlushAsync(cancellationToken);
        return count;
    }

    private static async Task<int> WriteCsvAsync(
        Stream body, Collection collection, IAsyncEnumerator<IReadOnlyList<Record>> pages, bool more, Query.RequestInfo request, CancellationToken cancellationToken)
    {
        var columns = collection.Fields
            .Where(f => f.Type != FieldType.Password && !(collection.IsAuth && f.Name == "tokenKey"))
            .Select(f => f.Name)
            .ToList();
        await using var text = new StreamWriter(body, new UTF8Encoding(false), 1 << 16) { NewLine = "\r\n" };
        await text.WriteLineAsync(string.Join(',', columns.Select(Csv.Cell)));
        var count = 0;
        var buffer = new ArrayBufferWriter<byte>();
        for (; more; more = await pages.MoveNextAsync())
        {
            foreach (var record in pages.Current)
            {
                buffer.ResetWrittenCount();
                using (var writer = new Utf8JsonWriter(buffer))
                {
                    RecordSerializer.Write(writer, record, request);
                }

                var json = JsonNode.Parse(buffer.WrittenSpan)!.AsObject();
                await text.WriteLineAsync(string.Join(',', columns.Select(c => Csv.Cell(CellText(json[c])))));
                count++;
            }

            await text.FlushAsync(cancellationToken);
        }

        return count;
    }

    private static string CellText(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.TryGetValue<string>(out var s) => Csv.Defused(s),
        _ => node.ToJsonString(),
    };

    private static async Task ImportAsync(
        HttpContext context, string idOrName, RecordService records, RecordTransferService transfer, IOptions<ApiOptions> options, ILoggerFactory logs)
    {
        var collection = records.Resolve(idOrName);
        var (bytes, fileName) = await ReadFileAsync(context.Request, options.Value.ImportMaxBodySize, context.RequestAborted);
        var format = Format(context.Request, fileName);
        var rows = format == "csv" ? RecordsImportParser.FromCsv(collection, bytes) : RecordsImportParser.FromJson(bytes);
        if (rows.Count > options.Value.ImportMaxRows)
        {
            throw ApiError.BadRequest($"An import may hold at most {options.Value.ImportMaxRows} rows; this one holds {rows.Count}.");
        }

        var logger = logs.CreateLogger(LoggerName);
        int imported;
        try
        {
            imported = await transfer.ImportAsync(collection.Id, rows, RequestInfoFactory.Create(context), context.RequestAborted);
        }
        catch (ApiError e) when (e.Data.ContainsKey("rows"))
        {
            Log.RecordsImportRejected(logger, rows.Count, collection.Name);
            throw;
        }

        Log.RecordsImported(logger, imported, collection.Name);
        await CollectionsEndpoints.WriteAsync(context, new JsonObject { ["imported"] = imported });
    }

    /// <summary>The <c>format</c> parameter; without one, a file named <c>*.csv</c> is CSV and anything else JSON.</summary>
    private static string Format(HttpRequest request, string? fileName)
    {
        var format = request.Query["format"].ToString();
        if (format.Length == 0)
        {
            return fileName?.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) == true ? "csv" : "json";
        }

        return format is "json" or "csv"
            ? format
            : throw ApiError.Field(ApiError.LoadFailed, "format", "validation_in_invalid", "Must be \"json\" or \"csv\".");
    }

    /// <summary>The file: the multipart <c>file</c> field, or the whole body.</summary>
    private static async Task<(byte[] Bytes, string? FileName)> ReadFileAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        try
        {
            if (request.HasFormContentType)
            {
                var form = await request.ReadFormAsync(cancellationToken);
                var file = form.Files.GetFile("file")
                    ?? throw ApiError.Field(ApiError.LoadFailed, "file", "validation_required", "Missing the file to import.");
                await using var stream = file.OpenReadStream();
                return (await RequestBodies.ReadAsync(stream, null, limit, cancellationToken), file.FileName);
            }

            return (await RequestBodies.ReadAsync(request.Body, request.ContentLength, limit, cancellationToken), null);
        }
        catch (InvalidDataException e)
        {
            throw new ApiError(ApiError.LoadFailed, e);
        }
    }
}
