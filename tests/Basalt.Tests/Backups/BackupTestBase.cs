using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Basalt.Backups;
using Basalt.Tests.Files;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Backups;

/// <summary>Helpers of the backup tests: create, list, download, upload and restore over HTTP, and archives edited by hand.</summary>
public abstract class BackupTestBase(BasaltServerFixture fixture) : FilesTestBase(fixture)
{
    protected BackupService Backups => Server.Services.GetRequiredService<BackupService>();

    protected static string NewBackupName() => HttpJson.UniqueName("b").ToLowerInvariant() + ".zip";

    protected async Task<string> CreateBackupAsync(string? name = null)
    {
        name ??= NewBackupName();
        var (status, body) = await Superuser.PostJsonAsync("/api/backups", new { name });
        Assert.True(status == HttpStatusCode.NoContent, $"create backup: {(int)status} {body?.ToJsonString()}");
        return name;
    }

    protected async Task<List<string>> BackupKeysAsync()
    {
        var (status, body) = await Superuser.GetJsonAsync("/api/backups");
        Assert.Equal(HttpStatusCode.OK, status);
        return body!.AsArray().Select(b => b!["key"]!.GetValue<string>()).ToList();
    }

    protected async Task<(HttpStatusCode Status, JsonNode? Body)> RestoreAsync(string name) =>
        await Superuser.PostJsonAsync($"/api/backups/{name}/restore", new { });

    protected async Task<byte[]> DownloadAsync(string name)
    {
        var (_, token) = await Superuser.PostJsonAsync("/api/files/token", new { });
        using var response = await Guest.GetAsync($"/api/backups/{name}?token={token!["token"]!.GetValue<string>()}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    protected async Task<(HttpStatusCode Status, JsonNode? Body)> UploadAsync(string fileName, byte[] content)
    {
        using var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(content);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        form.Add(part, "file", fileName);
        using var response = await Superuser.PostAsync("/api/backups/upload", form);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>Every record of a collection, through the API, page by page.</summary>
    protected async Task<List<JsonObject>> AllRecordsAsync(string collection)
    {
        var all = new List<JsonObject>();
        for (var page = 1; ; page++)
        {
            var (status, body) = await Superuser.GetJsonAsync(Records(collection, null, $"page={page}&perPage=1000&skipTotal=1"));
            Assert.Equal(HttpStatusCode.OK, status);
            var items = body!["items"]!.AsArray().Select(i => (JsonObject)i!).ToList();
            all.AddRange(items);
            if (items.Count < 1000)
            {
                return all;
            }
        }
    }

    /// <summary>The archive with its manifest changed by <paramref name="edit"/> (the manifest itself carries no checksum).</summary>
    protected static byte[] WithManifest(byte[] archive, Action<JsonObject> edit)
    {
        using var buffer = new MemoryStream();
        buffer.Write(archive);
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = zip.GetEntry(BackupManifest.EntryName)!;
            JsonObject manifest;
            using (var reader = entry.Open())
            {
                manifest = (JsonObject)JsonNode.Parse(reader)!;
            }

            entry.Delete();
            edit(manifest);
            using var writer = zip.CreateEntry(BackupManifest.EntryName).Open();
            writer.Write(System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString()));
        }

        return buffer.ToArray();
    }

    /// <summary>A zip of the given entries, written as is (names included).</summary>
    protected static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var stream = zip.CreateEntry(name).Open();
                stream.Write(content);
            }
        }

        return buffer.ToArray();
    }

    protected static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting until " + what);
            await Task.Delay(10);
        }
    }
}
