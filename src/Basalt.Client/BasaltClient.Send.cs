using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Basalt.Client;

/// <summary>How every request is built, sent and its answer read.</summary>
public sealed partial class BasaltClient
{
    /// <summary>
    /// Sends a request to any route of the server and returns its JSON answer (null for 204 or an empty body), with the
    /// auth token, the options' query and headers. A 4xx/5xx answer throws <see cref="ClientResponseException"/>.
    /// </summary>
    public Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonNode? body = null, RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        SendAsync(method, path, body is null ? null : JsonBody(body), options, cancellationToken);

    /// <summary>Like <see cref="SendAsync(HttpMethod, string, JsonNode?, RequestOptions?, CancellationToken)"/>, with any content (multipart uploads).</summary>
    public async Task<JsonNode?> SendAsync(HttpMethod method, string path, HttpContent? content, RequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var response = await SendRawAsync(method, path, content, options, HttpCompletionOption.ResponseContentRead, cancellationToken);
        return await ReadJsonAsync(response, cancellationToken);
    }

    /// <summary>The absolute URL of <paramref name="path"/> (relative to the server, such as <c>api/health</c>) with a query.</summary>
    public Uri BuildUrl(string path, IEnumerable<KeyValuePair<string, string?>>? query = null)
    {
        var url = new StringBuilder(BaseAddress.AbsoluteUri).Append(path.TrimStart('/'));
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        foreach (var (key, value) in query ?? [])
        {
            if (value is null)
            {
                continue;
            }

            url.Append(separator).Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }

        return new Uri(url.ToString());
    }

    /// <summary>Sends and checks the status, leaving the body unread (for streams and downloads); the caller disposes the answer.</summary>
    internal async Task<HttpResponseMessage> SendRawAsync(
        HttpMethod method, string path, HttpContent? content, RequestOptions? options, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        var url = BuildUrl(path, options?.QueryPairs());
        using var request = new HttpRequestMessage(method, url) { Content = content };
        Authorize(request);
        foreach (var (name, value) in options?.Headers ?? new Dictionary<string, string>())
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, completion, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new ClientResponseException(url, 0, null, e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient's own timeout, not the caller's token: a failure to answer, not a cancellation.
            throw new ClientResponseException(url, 0, null, e);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var body = await ReadJsonAsync(response, cancellationToken);
            throw new ClientResponseException(url, (int)response.StatusCode, body, null);
        }
    }

    /// <summary>Sends the token as PocketBase's SDK does: the raw token, no scheme.</summary>
    internal void Authorize(HttpRequestMessage request)
    {
        if (AuthStore.Token.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("Authorization", AuthStore.Token);
        }
    }

    internal static HttpContent JsonBody(JsonNode body)
    {
        var content = new StringContent(body.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    private static async Task<JsonNode?> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (text.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            // A proxy's HTML error page, say: the status still tells what happened.
            return response.IsSuccessStatusCode ? JsonValue.Create(text) : null;
        }
    }
}
