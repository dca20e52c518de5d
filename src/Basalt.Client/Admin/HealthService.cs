using System.Text.Json.Nodes;

namespace Basalt.Client.Admin;

/// <summary><c>GET /api/health</c>.</summary>
public sealed class HealthService
{
    private readonly BasaltClient _client;

    internal HealthService(BasaltClient client) => _client = client;

    /// <summary>The server's health; superusers also get <c>canBackup</c>, <c>realIP</c> and <c>possibleProxyHeader</c> in <see cref="HealthResult.Data"/>.</summary>
    public async Task<HealthResult> CheckAsync(CancellationToken cancellationToken = default)
    {
        var body = JsonRead.Object(await _client.SendAsync(HttpMethod.Get, "api/health", (HttpContent?)null, null, cancellationToken));
        return new HealthResult((int)(JsonRead.Number(body["code"]) ?? 0), JsonRead.String(body["message"]) ?? "", JsonRead.Object(body["data"]?.DeepClone()));
    }
}

/// <summary>The health answer: <c>{code, message, data}</c>.</summary>
public sealed record HealthResult(int Code, string Message, JsonObject Data);
