using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Basalt.Client.Admin;

/// <summary>Backups of §11 (superusers only): list, create, upload, download URL, delete and restore.</summary>
public sealed class BackupService
{
    private const string Path = "api/backups";
    private readonly BasaltClient _client;

    internal BackupService(BasaltClient client) => _client = client;

    public async Task<List<BackupInfo>> GetFullListAsync(CancellationToken cancellationToken = default)
    {
        var body = await _client.SendAsync(HttpMethod.Get, Path, (HttpContent?)null, null, cancellationToken) as JsonArray ?? [];
        return body.OfType<JsonObject>()
            .Select(b => new BackupInfo(JsonRead.String(b["key"]) ?? "", (long)(JsonRead.Number(b["size"]) ?? 0), JsonRead.String(b["modified"]) ?? ""))
            .ToList();
    }

    /// <summary>Starts a backup named <paramref name="name"/> (<c>^[a-z0-9_-]+\.zip$</c>; the server picks one when null).</summary>
    public Task CreateAsync(string? name = null, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject();
        if (name is not null)
        {
            body["name"] = name;
        }

        return _client.SendAsync(HttpMethod.Post, Path, body, null, cancellationToken);
    }

    /// <summary>Uploads a backup zip; the stream is read once and not disposed here.</summary>
    public async Task UploadAsync(Stream zip, string fileName, CancellationToken cancellationToken = default)
    {
        using var content = new MultipartFormDataContent();
        var part = new StreamContent(zip);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        content.Add(part, "file", fileName);
        await _client.SendAsync(HttpMethod.Post, Path + "/upload", content, null, cancellationToken);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default) =>
        _client.SendAsync(HttpMethod.Delete, Key(key), (HttpContent?)null, null, cancellationToken);

    /// <summary>Restores a backup; the server restarts shortly after answering.</summary>
    public Task RestoreAsync(string key, CancellationToken cancellationToken = default) =>
        _client.SendAsync(HttpMethod.Post, Key(key) + "/restore", (HttpContent?)null, null, cancellationToken);

    /// <summary>The download URL of a backup, with a superuser's file token from <c>Files.GetTokenAsync</c>.</summary>
    public Uri GetDownloadUrl(string fileToken, string key) =>
        _client.BuildUrl(Key(key), [new("token", fileToken)]);

    private static string Key(string key) => Path + "/" + Uri.EscapeDataString(key);
}

/// <summary>One backup file: its key (file name), size in bytes, and last change (<c>yyyy-MM-dd HH:mm:ss.fffZ</c>).</summary>
public sealed record BackupInfo(string Key, long Size, string Modified);
