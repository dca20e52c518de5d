using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Basalt.Tests.Fixtures;
using Xunit.Abstractions;

namespace Basalt.Tests.Storage;

/// <summary>
/// Issue 6: Basalt is SIGKILLed while 16 clients create records; after a restart on the same data every acknowledged
/// record is there with its exact content, nothing that was never sent exists, and writes work again.
/// </summary>
public abstract class CrashRecoveryTests(StorageKind kind, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Email = "crash@example.com";
    private const string Password = "1234567890";
    private const int Clients = 16;
    private const int AcknowledgedBeforeKill = 400;

    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "basalt-crash-" + Guid.NewGuid().ToString("N")[..10]);
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
    public async Task Every_acknowledged_create_survives_a_SIGKILL_and_nothing_unsent_appears()
    {
        var upsert = await BasaltProcess.RunAsync([.. CommonArgs(["superuser", "upsert", Email, Password])]);
        Assert.True(upsert.ExitCode == 0, upsert.Output);

        var sent = new ConcurrentDictionary<string, JsonObject>();
        var acknowledged = new ConcurrentDictionary<string, JsonObject>();
        string collection;
        var (server, _) = await BasaltProcess.StartAsync(_dataDir, _database);
        await using (server)
        {
            using var admin = await SignInAsync(server.BaseAddress);
            collection = await CreateCollectionAsync(admin);

            // The guest writers all come from loopback: the default rate limits (*:create 20 per 5 s) would refuse them.
            var (limits, _) = await admin.PatchJsonAsync("/api/settings", new { rateLimits = new { enabled = false } });
            Assert.Equal(HttpStatusCode.OK, limits);

            var clients = Enumerable.Range(0, Clients)
                .Select(c => WriteUntilFailureAsync(server.BaseAddress, collection, c, sent, acknowledged))
                .ToList();
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (acknowledged.Count < AcknowledgedBeforeKill && DateTime.UtcNow < deadline && !clients.All(t => t.IsCompleted))
            {
                await Task.Delay(5);
            }

            await server.KillAsync();
            await Task.WhenAll(clients);
            Assert.True(acknowledged.Count >= AcknowledgedBeforeKill, $"only {acknowledged.Count} writes before the deadline: {server.Output}");
        }

        var (restarted, startTime) = await BasaltProcess.StartAsync(_dataDir, _database);
        await using (restarted)
        {
            using var admin = await SignInAsync(restarted.BaseAddress);
            var stored = await ListAllAsync(admin, collection);

            foreach (var (id, body) in acknowledged)
            {
                Assert.True(stored.TryGetValue(id, out var record), $"acknowledged record {id} is missing after the crash");
                AssertSameContent(body, record);
            }

            foreach (var (id, record) in stored)
            {
                Assert.True(sent.TryGetValue(id, out var body), $"record {id} exists but was never sent");
                AssertSameContent(body, record);
            }

            var (status, created) = await admin.PostJsonAsync($"/api/collections/{collection}/records", Body(RandomId(), 0, 0));
            Assert.True(status == HttpStatusCode.OK, $"write after restart: {status} {created}");

            output.WriteLine($"{kind}: {acknowledged.Count} acknowledged, {sent.Count} sent, {stored.Count} stored; restart answered after {startTime.TotalMilliseconds:F0} ms");

            // The issue asks for an answer within a second; a loaded CI machine gets some slack for the .NET start itself.
            Assert.True(startTime < TimeSpan.FromSeconds(20), $"restart took {startTime}");
        }
    }

    private IEnumerable<string> CommonArgs(IEnumerable<string> args)
    {
        foreach (var a in args)
        {
            yield return a;
        }

        yield return "--dir";
        yield return _dataDir;
        if (_database is not null)
        {
            yield return "--db";
            yield return _database;
        }
    }

    private static async Task WriteUntilFailureAsync(
        Uri baseAddress,
        string collection,
        int client,
        ConcurrentDictionary<string, JsonObject> sent,
        ConcurrentDictionary<string, JsonObject> acknowledged)
    {
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        for (var i = 0; ; i++)
        {
            var id = RandomId();
            var body = Body(id, client, i);
            sent[id] = body;
            try
            {
                var (status, _) = await http.PostJsonAsync($"/api/collections/{collection}/records", body.ToJsonString());
                if (status != HttpStatusCode.OK)
                {
                    return;
                }

                acknowledged[id] = body;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
            {
                // The server died: this write was sent but not acknowledged, which is allowed either way.
                return;
            }
        }
    }

    private static JsonObject Body(string id, int client, int sequence) => new()
    {
        ["id"] = id,
        ["title"] = $"client {client} write {sequence} ‘quoted’ \"text\"",
        ["n"] = (client * 100_000) + sequence + 0.25,
        ["meta"] = new JsonObject { ["client"] = client, ["seq"] = sequence, ["tags"] = new JsonArray("a", "b") },
    };

    private static void AssertSameContent(JsonObject sent, JsonNode record)
    {
        Assert.Equal(sent["title"]!.GetValue<string>(), record["title"]!.GetValue<string>());
        Assert.Equal(sent["n"]!.GetValue<double>(), record["n"]!.GetValue<double>());
        Assert.True(JsonNode.DeepEquals(sent["meta"], record["meta"]), $"meta differs: {sent["meta"]} vs {record["meta"]}");
    }

    private static async Task<HttpClient> SignInAsync(Uri baseAddress)
    {
        using var guest = new HttpClient { BaseAddress = baseAddress };
        var (status, body) = await guest.PostJsonAsync("/api/collections/_superusers/auth-with-password", new { identity = Email, password = Password });
        Assert.True(status == HttpStatusCode.OK, $"sign-in: {status} {body}");
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", body!["token"]!.GetValue<string>());
        return client;
    }

    private static async Task<string> CreateCollectionAsync(HttpClient admin)
    {
        var name = HttpJson.UniqueName("crash");
        var (status, body) = await admin.PostJsonAsync("/api/collections", new JsonObject
        {
            ["name"] = name,
            ["type"] = "base",
            ["listRule"] = null,
            ["viewRule"] = null,
            ["createRule"] = "",
            ["fields"] = new JsonArray(
                new JsonObject { ["name"] = "title", ["type"] = "text" },
                new JsonObject { ["name"] = "n", ["type"] = "number" },
                new JsonObject { ["name"] = "meta", ["type"] = "json" }),
        });
        Assert.True(status == HttpStatusCode.OK, $"create collection: {status} {body}");
        return name;
    }

    private static async Task<Dictionary<string, JsonNode>> ListAllAsync(HttpClient admin, string collection)
    {
        var records = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        for (var page = 1; ; page++)
        {
            var (status, body) = await admin.GetJsonAsync($"/api/collections/{collection}/records?page={page}&perPage=500&skipTotal=1&sort=id");
            Assert.True(status == HttpStatusCode.OK, $"list: {status} {body}");
            var items = body!["items"]!.AsArray();
            foreach (var item in items)
            {
                records[item!["id"]!.GetValue<string>()] = item;
            }

            if (items.Count < 500)
            {
                return records;
            }
        }
    }

    private static string RandomId() => RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 15);
}

/// <summary>Crash recovery on SQLite (durable mode).</summary>
public sealed class CrashRecoverySqliteTests(ITestOutputHelper output) : CrashRecoveryTests(StorageKind.Sqlite, output);

/// <summary>Crash recovery on PostgreSQL.</summary>
public sealed class CrashRecoveryPostgresTests(ITestOutputHelper output) : CrashRecoveryTests(StorageKind.Postgres, output);
