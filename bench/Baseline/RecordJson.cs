using System.Text.Json;

namespace Baseline;

/// <summary>Writes rows in the same JSON shape Basalt answers with, straight to the response.</summary>
internal static class RecordJson
{
    public static async Task WriteListAsync(
        HttpResponse response, string table, int page, int perPage, (long Total, List<BenchRow> Rows) result, CancellationToken ct)
    {
        response.ContentType = "application/json";
        await using var w = new Utf8JsonWriter(response.BodyWriter);
        w.WriteStartObject();
        w.WriteNumber("page", page);
        w.WriteNumber("perPage", perPage);
        w.WriteNumber("totalItems", result.Total);
        w.WriteNumber("totalPages", (result.Total + perPage - 1) / perPage);
        w.WriteStartArray("items");
        foreach (var row in result.Rows)
        {
            Write(w, table, row);
        }

        w.WriteEndArray();
        w.WriteEndObject();
        await w.FlushAsync(ct);
    }

    public static async Task WriteOneAsync(HttpResponse response, string table, BenchRow row, CancellationToken ct)
    {
        response.ContentType = "application/json";
        await using var w = new Utf8JsonWriter(response.BodyWriter);
        Write(w, table, row);
        await w.FlushAsync(ct);
    }

    private static void Write(Utf8JsonWriter w, string table, BenchRow row)
    {
        w.WriteStartObject();
        w.WriteString("body", row.Body);
        w.WriteString("collectionId", table);
        w.WriteString("collectionName", table);
        w.WriteString("created", row.Created);
        w.WriteString("id", row.Id);
        w.WriteNumber("n", row.N);
        w.WriteString("status", row.Status);
        w.WriteString("title", row.Title);
        w.WriteString("updated", row.Updated);
        w.WriteEndObject();
    }
}
