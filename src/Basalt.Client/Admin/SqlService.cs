using System.Text.Json.Nodes;

namespace Basalt.Client.Admin;

/// <summary><c>POST /api/sql</c> (superusers only): runs one statement under the server's statement timeout and row cap.</summary>
public sealed class SqlService
{
    private readonly BasaltClient _client;

    internal SqlService(BasaltClient client) => _client = client;

    public async Task<JsonObject> RunAsync(string query, CancellationToken cancellationToken = default) =>
        JsonRead.Object(await _client.SendAsync(HttpMethod.Post, "api/sql", new JsonObject { ["query"] = query }, null, cancellationToken));

    /// <summary>Runs <paramref name="query"/> and returns at most <paramref name="maxRows"/> rows (<see cref="SqlResult.Truncated"/> says when more were cut).</summary>
    public async Task<SqlResult> QueryAsync(string query, int maxRows, CancellationToken cancellationToken = default) =>
        SqlResult.FromJson(await _client.SendAsync(HttpMethod.Post, "api/sql", new JsonObject { ["query"] = query, ["maxRows"] = maxRows }, null, cancellationToken));
}
