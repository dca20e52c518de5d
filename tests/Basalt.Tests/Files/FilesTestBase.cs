using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Basalt.Tests.Fixtures;
using Basalt.Tests.Records;

namespace Basalt.Tests.Files;

/// <summary>Helpers of the file tests: multipart record writes, downloads, and where a stored file lives on disk.</summary>
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

    protected string StoredPath(string collectionId, string recordId, string name) =>
        Path.Combine(Server.DataDir, "storage", collectionId, recordId, name);

    protected string[] StoredFiles(string collectionId, string recordId)
    {
        var folder = Path.Combine(Server.DataDir, "storage", collectionId, recordId);
        return Directory.Exists(folder) ? Directory.GetFiles(folder).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray() : [];
    }

    protected static string FileUrl(string collection, string recordId, string name, string? query = null) =>
        $"/api/files/{collection}/{recordId}/{Uri.EscapeDataString(name)}" + (query is null ? "" : "?" + query);
}
