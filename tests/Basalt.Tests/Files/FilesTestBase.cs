using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.S3.Model;
using Basalt.Files;
using Basalt.Tests.Fixtures;
using Basalt.Tests.Records;

namespace Basalt.Tests.Files;

/// <summary>
/// Helpers of the file tests: multipart record writes, downloads, and what the server's storage holds (read through
/// the storage in use, so each test runs unchanged over the data folder and over an S3 bucket).
/// </summary>
public abstract class FilesTestBase(BasaltServerFixture fixture) : RecordsTestBase(fixture)
{
    protected static readonly byte[] Png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R'];

    protected static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    protected static (string Key, string FileName, byte[] Content) File(string key, string fileName, byte[] content) => (key, fileName, content);

    /// <summary>A base collection with the given fields and open rules; returns its name and id.</summary>
    protected async Task<(string Name, string Id)> CollectionAsync(string fields, string? rules = null)
    {
        var name = HttpJson.UniqueName("files");
        var json = await CreateCollectionAsync(name, fields, rules);
        return (name, json["id"]!.GetValue<string>());
    }

    /// <summary>Sends a multipart body: files (key, file name, bytes) and plain values (key, value), in that order.</summary>
    protected static async Task<(HttpStatusCode Status, JsonNode? Body)> SendFormAsync(
        HttpClient client, HttpMethod method, string url, IEnumerable<(string Key, string FileName, byte[] Content)> files, params (string Key, string Value)[] values)
    {
        using var form = new MultipartFormDataContent();
        foreach (var (key, value) in values)
        {
            form.Add(new StringContent(value), key);
        }

        foreach (var (key, fileName, content) in files)
        {
            var part = new ByteArrayContent(content);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(part, key, fileName);
        }

        using var request = new HttpRequestMessage(method, url) { Content = form };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    protected async Task<JsonObject> CreateWithFilesAsync(string collection, params (string Key, string FileName, byte[] Content)[] files)
    {
        var (status, json) = await SendFormAsync(Superuser, HttpMethod.Post, Records(collection), files);
        Assert.True(status == HttpStatusCode.OK, $"create with files: {(int)status} {json?.ToJsonString()}");
        return (JsonObject)json!;
    }

    protected async Task<JsonObject> UpdateWithFilesAsync(string collection, string id, IEnumerable<(string Key, string FileName, byte[] Content)> files, params (string Key, string Value)[] values)
    {
        var (status, json) = await SendFormAsync(Superuser, HttpMethod.Patch, Records(collection, id), files, values);
        Assert.True(status == HttpStatusCode.OK, $"update with files: {(int)status} {json?.ToJsonString()}");
        return (JsonObject)json!;
    }

    protected static List<string> Names(JsonNode? value) =>
        value is JsonArray array ? array.Select(n => n!.GetValue<string>()).ToList() : value?.GetValue<string>() is { Length: > 0 } s ? [s] : [];

    /// <summary>The storage the server uses now (the data folder, or the fixture's bucket).</summary>
    protected async Task<IFileStorage> StorageAsync() =>
        await Server.Services.GetRequiredService<FileStorageProvider>().GetAsync(CancellationToken.None);

    /// <summary>The names stored directly under a record (thumbs folders not included), sorted.</summary>
    protected async Task<string[]> StoredFilesAsync(string collectionId, string recordId)
    {
        var prefix = collectionId + "/" + recordId + "/";
        var names = new List<string>();
        await foreach (var file in (await StorageAsync()).ListAsync(prefix, CancellationToken.None))
        {
            if (!file.Key[prefix.Length..].Contains('/', StringComparison.Ordinal))
            {
                names.Add(file.Key[prefix.Length..]);
            }
        }

        return [.. names.Order(StringComparer.Ordinal)];
    }

    /// <summary>Every key stored under <paramref name="prefix"/> (a collection, a record, a thumbs folder).</summary>
    protected async Task<List<string>> StoredKeysAsync(string prefix)
    {
        var keys = new List<string>();
        await foreach (var file in (await StorageAsync()).ListAsync(prefix, CancellationToken.None))
        {
            keys.Add(file.Key);
        }

        return keys;
    }

    protected async Task<byte[]?> ReadStoredAsync(string key)
    {
        var storage = await StorageAsync();
        if (await storage.StatAsync(key, CancellationToken.None) is null)
        {
            return null;
        }

        await using var stream = await storage.OpenReadAsync(key, 0, null, CancellationToken.None);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    protected async Task<bool> IsStoredAsync(string key) => await (await StorageAsync()).StatAsync(key, CancellationToken.None) is not null;

    /// <summary>
    /// Stores <paramref name="content"/> under <paramref name="key"/> behind Basalt's back, last modified at
    /// <paramref name="modified"/>, as a crash would have left it: in the data folder, or in the bucket (whose server
    /// takes an object's LastModified from its file).
    /// </summary>
    protected async Task SeedStoredAsync(string key, string content, DateTime modified)
    {
        if (Server.S3 is { } s3)
        {
            using var client = S3TestServer.Client(s3);
            await client.PutObjectAsync(new PutObjectRequest { BucketName = s3.Bucket, Key = key, ContentBody = content, UseChunkEncoding = false });
        }
        else
        {
            var path = Path.Combine(Server.DataDir, "storage", key.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await System.IO.File.WriteAllTextAsync(path, content);
        }

        SetStoredTime(key, modified);
    }

    /// <summary>Sets the modification time a stored file reports.</summary>
    protected void SetStoredTime(string key, DateTime modified) =>
        System.IO.File.SetLastWriteTimeUtc(
            Server.S3 is { } s3 ? S3TestServer.ObjectPath(s3.Bucket, key) : Path.Combine(Server.DataDir, "storage", key.Replace('/', Path.DirectorySeparatorChar)),
            modified);

    protected static string FileUrl(string collection, string recordId, string name, string? query = null) =>
        $"/api/files/{collection}/{recordId}/{Uri.EscapeDataString(name)}" + (query is null ? "" : "?" + query);
}
