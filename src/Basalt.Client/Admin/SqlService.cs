using System.Text.Json.Nodes;

namespace Basalt.Client.Admin;

/// <summary><c>POST /api/sql</c> (superusers only): one read-only statement under the server's timeout and row cap.</summary>
public sealed class SqlService
{
    private readonly BasaltClient _client;

    internal SqlService(BasaltClient client) => _client = client;

    /// <summary>
    /// Runs <paramref name="query"/> and returns at most <paramref name="maxRows"/> rows (1–10000; the server's default
    /// is 1000). A database error, a write or a timeout is a <see cref="ClientResponseException"/> (400) whose
    /// <c>FieldErrors["query"]</c> carries the database's message.
    /// </summary>
    public async Task<SqlResult> QueryAsync(string query, int? maxRows = null, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["query"] = query };
        if (maxRows is { } rows)
        {
            body["maxRows"] = rows;
        }

        var answer = JsonRead.Object(await _client.SendAsync(HttpMethod.Post, "api/sql", body, null, cancellationToken));
        return new SqlResult(
            (answer["columns"] as JsonArray ?? []).Select(c => JsonRead.String(c) ?? "").ToList(),
            (answer["rows"] as JsonArray ?? []).Select(r => r as JsonArray ?? []).ToList(),
            JsonRead.Bool(answer["truncated"]),
            JsonRead.Number(answer["durationMs"]) ?? 0);
    }
}
