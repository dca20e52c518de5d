using System.Text.Json.Nodes;

namespace Basalt.Client.Admin;

/// <summary><c>POST /api/sql</c> (superusers only): runs one statement and returns <c>{execTime, affectedRows, columns, rows}</c>.</summary>
public sealed class SqlService
{
    private readonly BasaltClient _client;

    internal SqlService(BasaltClient client) => _client = client;

    public async Task<JsonObject> RunAsync(string query, CancellationToken cancellationToken = default) =>
        JsonRead.Object(await _client.SendAsync(HttpMethod.Post, "api/sql", new JsonObject { ["query"] = query }, null, cancellationToken));
}
