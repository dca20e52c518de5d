namespace Basalt.Client.Admin;

/// <summary><c>GET /metrics</c>: the Prometheus text a server started with <c>--metrics on</c> serves on its API address (404 otherwise).</summary>
public sealed class MetricsService
{
    private readonly BasaltClient _client;

    internal MetricsService(BasaltClient client) => _client = client;

    /// <summary>The exposition text, or null when the server serves no metrics on this address.</summary>
    public async Task<string?> GetTextAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await _client.SendRawAsync(HttpMethod.Get, "metrics", null, null, HttpCompletionOption.ResponseContentRead, cancellationToken);
            return await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (ClientResponseException e) when (e.Status == 404)
        {
            return null;
        }
    }
}
