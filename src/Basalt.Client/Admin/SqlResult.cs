using System.Text.Json.Nodes;

namespace Basalt.Client.Admin;

/// <summary>The answer of <c>POST /api/sql</c>: the column names, the rows (at most the cap), whether rows were cut, and the time taken.</summary>
public sealed record SqlResult(IReadOnlyList<string> Columns, IReadOnlyList<JsonArray> Rows, bool Truncated, double DurationMs)
{
    internal static SqlResult FromJson(JsonNode? node)
    {
        var body = JsonRead.Object(node);
        var columns = (body["columns"] as JsonArray ?? []).Select(c => JsonRead.String(c) ?? "").ToList();
        var rows = (body["rows"] as JsonArray ?? []).Select(r => r as JsonArray ?? []).ToList();
        return new SqlResult(columns, rows, JsonRead.Bool(body["truncated"]), JsonRead.Number(body["durationMs"]) ?? 0);
    }
}
