using System.Text.Json.Nodes;

namespace Basalt.Client.Admin;

/// <summary>The scheduled jobs (superusers only): list them and run one now.</summary>
public sealed class CronService
{
    private const string Path = "api/crons";
    private readonly BasaltClient _client;

    internal CronService(BasaltClient client) => _client = client;

    public async Task<List<CronJob>> GetFullListAsync(CancellationToken cancellationToken = default)
    {
        var body = await _client.SendAsync(HttpMethod.Get, Path, (HttpContent?)null, null, cancellationToken) as JsonArray ?? [];
        return body.OfType<JsonObject>().Select(c => new CronJob(JsonRead.String(c["id"]) ?? "", JsonRead.String(c["expression"]) ?? "")).ToList();
    }

    /// <summary>Starts a job in the background on the server.</summary>
    public Task RunAsync(string id, CancellationToken cancellationToken = default) =>
        _client.SendAsync(HttpMethod.Post, Path + "/" + Uri.EscapeDataString(id), (HttpContent?)null, null, cancellationToken);
}

/// <summary>One scheduled job: its id and cron expression.</summary>
public sealed record CronJob(string Id, string Expression);
