using System.Text.Json.Nodes;

namespace Basalt.Client.Admin;

/// <summary>The request logs (superusers only): list with filter and sort, one entry, hourly stats, and delete all.</summary>
public sealed class LogService
{
    private const string Path = "api/logs";
    private readonly BasaltClient _client;

    internal LogService(BasaltClient client) => _client = client;

    /// <summary>A page of log entries <c>{id, created, level, message, data}</c>; filter over those keys and <c>data.*</c>.</summary>
    public async Task<ListResult<JsonObject>> GetListAsync(ListOptions? options = null, CancellationToken cancellationToken = default) =>
        ListResults.FromJson(await _client.SendAsync(HttpMethod.Get, Path, (HttpContent?)null, options, cancellationToken));

    public async Task<JsonObject> GetOneAsync(string id, CancellationToken cancellationToken = default) =>
        JsonRead.Object(await _client.SendAsync(HttpMethod.Get, Path + "/" + Uri.EscapeDataString(id), (HttpContent?)null, null, cancellationToken));

    /// <summary>The number of entries per hour that match <paramref name="filter"/>.</summary>
    public async Task<List<LogStat>> GetStatsAsync(string? filter = null, CancellationToken cancellationToken = default)
    {
        var options = new RequestOptions();
        options.Query["filter"] = filter;
        var body = await _client.SendAsync(HttpMethod.Get, Path + "/stats", (HttpContent?)null, options, cancellationToken) as JsonArray ?? [];
        return body.OfType<JsonObject>().Select(s => new LogStat(JsonRead.String(s["date"]) ?? "", (long)(JsonRead.Number(s["total"]) ?? 0))).ToList();
    }

    /// <summary>Deletes every log entry.</summary>
    public Task TruncateAsync(CancellationToken cancellationToken = default) =>
        _client.SendAsync(HttpMethod.Delete, Path, (HttpContent?)null, null, cancellationToken);
}

/// <summary>The entries of one hour (<see cref="Date"/> in <c>yyyy-MM-dd HH:00:00.000Z</c>).</summary>
public sealed record LogStat(string Date, long Total);
