using System.Text.Json;
using System.Text.Json.Nodes;
using Basalt.Errors;
using Basalt.Http;
using Basalt.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Basalt.Api;

/// <summary>
/// <c>POST /api/sql</c>, the dashboard's SQL console (superusers only): <c>{query, maxRows?}</c> runs one read-only
/// statement and answers <c>{columns, rows, truncated, durationMs}</c>; a refused statement or a timeout is a 400
/// whose <c>data.query</c> carries the database's message.
/// </summary>
public static class SqlEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/sql", RunAsync);
    }

    private static async Task RunAsync(HttpContext context, SqlConsole console, RequestBodyReader reader, IOptions<ApiOptions> options)
    {
        CollectionsEndpoints.RequireSuperuser(context);
        var body = await reader.ReadAsync(context.Request, context.RequestAborted);
        var query = BodyText.Read(context.Request, body, "query");
        var maxRows = ReadMaxRows(body);
        var (result, ms) = await console.RunAsync(query, maxRows, options.Value.SqlTimeout, context.GetAuthRecord()!.Id, context.RequestAborted);
        await RecordsEndpoints.WriteAsync(context, null, writer => Write(writer, result, ms));
    }

    private static int? ReadMaxRows(JsonObject body)
    {
        if (!body.TryGetPropertyValue("maxRows", out var node) || node is null)
        {
            return null;
        }

        return node is JsonValue v && v.TryGetValue<double>(out var d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue
            ? (int)d
            : throw ApiError.Field(SqlConsole.Failed, "maxRows", "validation_invalid_value", "Must be a whole number.");
    }

    private static void Write(Utf8JsonWriter writer, SqlConsoleResult result, double ms)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("columns");
        foreach (var column in result.Columns)
        {
            writer.WriteStringValue(column);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("rows");
        foreach (var row in result.Rows)
        {
            writer.WriteStartArray();
            foreach (var value in row)
            {
                WriteValue(writer, value);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndArray();
        writer.WriteBoolean("truncated", result.Truncated);
        writer.WriteNumber("durationMs", Math.Round(ms, 3));
        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case double d:
                writer.WriteNumberValue(d);
                break;
            case decimal m:
                writer.WriteNumberValue(m);
                break;
            case IEnumerable<object?> items:
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteStringValue(value.ToString());
                break;
        }
    }
}
