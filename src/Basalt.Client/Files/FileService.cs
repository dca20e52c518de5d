using System.Text.Json.Nodes;

namespace Basalt.Client.Files;

/// <summary>File URLs (<c>/api/files/{collection}/{record}/{filename}</c>), file tokens for protected files, and downloads.</summary>
public sealed class FileService
{
    private readonly BasaltClient _client;

    internal FileService(BasaltClient client) => _client = client;

    /// <summary>
    /// The URL of one file of <paramref name="record"/> (which must carry <c>id</c> and <c>collectionId</c> or
    /// <c>collectionName</c>, as every record the server returns does).
    /// </summary>
    public Uri GetUrl(JsonObject record, string fileName, FileUrlOptions? options = null)
    {
        var collection = JsonRead.String(record["collectionId"]) is { Length: > 0 } id ? id : JsonRead.String(record["collectionName"]) ?? "";
        return GetUrl(collection, JsonRead.String(record["id"]) ?? "", fileName, options);
    }

    public Uri GetUrl(string collection, string recordId, string fileName, FileUrlOptions? options = null)
    {
        var path = "api/files/" + Uri.EscapeDataString(collection) + "/" + Uri.EscapeDataString(recordId) + "/" + Uri.EscapeDataString(fileName);
        return _client.BuildUrl(path, Query(options));
    }

    /// <summary>A short-lived token (3 minutes by default) that lets the signed-in record read protected files.</summary>
    public async Task<string> GetTokenAsync(CancellationToken cancellationToken = default)
    {
        var body = await _client.SendAsync(HttpMethod.Post, "api/files/token", (HttpContent?)null, null, cancellationToken);
        return JsonRead.String(body?["token"]) ?? throw new ClientResponseException("The server's file token answer has no token.");
    }

    /// <summary>Downloads one file of <paramref name="record"/> into memory.</summary>
    public async Task<byte[]> DownloadAsync(JsonObject record, string fileName, FileUrlOptions? options = null, CancellationToken cancellationToken = default)
    {
        var url = GetUrl(record, fileName, options);
        using var response = await _client.SendRawAsync(
            HttpMethod.Get, url.PathAndQuery[_client.BaseAddress.AbsolutePath.Length..], null, null, HttpCompletionOption.ResponseContentRead, cancellationToken);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    private static IEnumerable<KeyValuePair<string, string?>> Query(FileUrlOptions? options)
    {
        yield return new("thumb", options?.Thumb);
        yield return new("download", options?.Download == true ? "1" : null);
        yield return new("token", options?.Token);
    }
}
