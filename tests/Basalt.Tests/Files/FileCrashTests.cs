using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Basalt.Tests.Fixtures;
using Basalt.Tests.Storage;

namespace Basalt.Tests.Files;

/// <summary>
/// Basalt is SIGKILLed while clients create records with files, replace files and delete records; after a restart
/// every file any record names is served with its content, every acknowledged create is there, and (on SQLite) the
/// start-up sweep leaves no file that no record names.
/// </summary>
public abstract class FileCrashTests(StorageKind kind) : IAsyncLifetime
{
    private const string Email = "filecrash@example.com";
    private const string Password = "1234567890";
    private const int Clients = 6;
    private const int OperationsBeforeKill = 150;

    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "basalt-filecrash-" + Guid.NewGuid().ToString("N")[..10]);
    private string? _database;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dataDir);
        if (kind == StorageKind.Postgres)
        {
            _database = await PostgresCluster.CreateDatabaseAsync();
        }
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_dataDir, true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }

    [Fact(Timeout = 300_000)]
    public async Task After_a_SIGKILL_no_record_names_a_missing_file()
    {
        var args = new List<string> { "superuser", "upsert", Email, Password, "--dir", _dataDir };
        if (_database is not null)
        {
            args.AddRange(["--db", _database]);
        }

        var upsert = await BasaltProcess.RunAsync([.. args]);
        Assert.True(upsert.ExitCode == 0, upsert.Output);

        var created = new ConcurrentDictionary<string, bool>();
        var deleteSent = new ConcurrentDictionary<string, bool>();
        var operations = 0;
        string collection;
        string collectionId;
        var (server, _) = await BasaltProcess.StartAsync(_dataDir, _database);
        await using (server)
        {
            using var admin = await SignInAsync(server.BaseAddress);
            (collection, collectionId) = await CreateCollectionAsync(admin);
            var clients = Enumerable.Range(0, Clients).Select(c => WorkAsync(admin.DefaultRequestHeaders.Authorization, server.BaseAddress, collection, c, created, deleteSent, () => Interlocked.Increment(ref operations))).ToList();
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (Volatile.Read(ref operations) < OperationsBeforeKill && DateTime.UtcNow < deadline && !clients.All(t => t.IsCompleted))
            {
                await Task.Delay(5);
            }

            await server.KillAsync();
            await Task.WhenAll(clients);
            Assert.True(operations >= OperationsBeforeKill, $"only {operations} operations before the deadline: {server.Output}");
        }

        var (restarted, _) = await BasaltProcess.StartAsync(_dataDir, _database);
        await using (restarted)
        {
            using var admin = await SignInAsync(restarted.BaseAddress);
            var referenced = new HashSet<string>(StringComparer.Ordinal);
            var (status, list) = await admin.GetJsonAsync($"/api/collections/{collection}/records?perPage=1000&skipTotal=1");
            Assert.Equal(HttpStatusCode.OK, status);
            var ids = new HashSet<string>(StringComparer.Ordinal);
            foreach (var record in list!["items"]!.AsArray())
            {
                var id = record!["id"]!.GetValue<string>();
                ids.Add(id);
                foreach (var name in record["docs"]!.AsArray().Select(n => n!.GetValue<string>()))
                {
                    referenced.Add(Path.Combine(id, name));
                    using var response = await admin.GetAsync($"/api/files/{collection}/{id}/{name}");
                    Assert.True(response.StatusCode == HttpStatusCode.OK, $"record {id} names {name}, which is not served ({response.StatusCode})");
                    Assert.StartsWith(id, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                }
            }

            foreach (var id in created.Keys.Where(id => !deleteSent.ContainsKey(id)))
            {
                Assert.True(ids.Contains(id), $"acknowledged record {id} is missing");
            }

            if (kind == StorageKind.Sqlite)
            {
                var folder = Path.Combine(_dataDir, "storage", collectionId);
                var deadline = DateTime.UtcNow.AddSeconds(30);
                while (Stored(folder).Except(referenced).Any())
                {
                    Assert.True(DateTime.UtcNow < deadline, "unreferenced files survived the start-up sweep: " + string.Join(", ", Stored(folder).Except(referenced)));
                    await Task.Delay(50);
                }
            }
        }
    }

    private static IEnumerable<string> Stored(string folder) =>
        Directory.Exists(folder) ? Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f)) : [];

    /// <summary>Creates a record with two files, replaces one of them, and deletes every third record, until the server dies.</summary>
    private static async Task WorkAsync(
        AuthenticationHeaderValue? auth, Uri baseAddress, string collection, int client, ConcurrentDictionary<string, bool> created, ConcurrentDictionary<string, bool> deleteSent, Action counted)
    {
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = auth;
        try
        {
            for (var i = 0; ; i++)
            {
                var id = Guid.NewGuid().ToString("N")[..15];
                using (var form = Form(id, ("id", null), ("docs", "first.txt"), ("docs", "second.txt")))
                using (var response = await http.PostAsync($"/api/collections/{collection}/records", form))
                {
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        return;
                    }

                    created[id] = true;
                    counted();
                }

                var record = JsonNode.Parse(await http.GetStringAsync($"/api/collections/{collection}/records/{id}"))!;
                var keep = record["docs"]![0]!.GetValue<string>();
                using (var form = Form(id, ("docs", null), ("docs", "replacement.txt")))
                {
                    form.Add(new StringContent(keep), "docs");
                    using var response = await http.PatchAsync($"/api/collections/{collection}/records/{id}", form);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        return;
                    }

                    counted();
                }

                if ((i + client) % 3 == 0)
                {
                    deleteSent[id] = true;
                    using var response = await http.DeleteAsync($"/api/collections/{collection}/records/{id}");
                    counted();
                }
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            // The server died: whatever was in flight may or may not have happened.
        }
    }

    /// <summary>A multipart body: <c>(key, null)</c> sends the record id as a value, <c>(key, file)</c> a file whose content starts with the id.</summary>
    private static MultipartFormDataContent Form(string id, params (string Key, string? File)[] parts)
    {
        var form = new MultipartFormDataContent();
        foreach (var (key, file) in parts)
        {
            if (file is null)
            {
                if (key == "id")
                {
                    form.Add(new StringContent(id), key);
                }

                continue;
            }

            form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(id + " " + file + " " + new string('x', 2000))), key, file);
        }

        return form;
    }

    private static async Task<HttpClient> SignInAsync(Uri baseAddress)
    {
        using var guest = new HttpClient { BaseAddress = baseAddress };
        var (status, body) = await guest.PostJsonAsync("/api/collections/_superusers/auth-with-password", new { identity = Email, password = Password });
        Assert.True(status == HttpStatusCode.OK, $"sign-in: {status} {body}");
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body!["token"]!.GetValue<string>());
        return client;
    }

    private static async Task<(string Name, string Id)> CreateCollectionAsync(HttpClient admin)
    {
        var name = HttpJson.UniqueName("filecrash");
        var (status, body) = await admin.PostJsonAsync("/api/collections", new JsonObject
        {
            ["name"] = name,
            ["type"] = "base",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "docs", ["type"] = "file", ["maxSelect"] = 5 }),
        });
        Assert.True(status == HttpStatusCode.OK, $"create collection: {status} {body}");
        return (name, body!["id"]!.GetValue<string>());
    }
}

/// <summary>File crash safety on SQLite (durable mode).</summary>
public sealed class FileCrashSqliteTests() : FileCrashTests(StorageKind.Sqlite);

/// <summary>File crash safety on PostgreSQL.</summary>
public sealed class FileCrashPostgresTests() : FileCrashTests(StorageKind.Postgres);
