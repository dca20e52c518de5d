using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Basalt.Tests.Fixtures;
using Basalt.Tests.Storage;
using Xunit.Abstractions;

namespace Basalt.Tests.Realtime;

/// <summary>
/// Issue 13: the change log commits with the writes, so writes acknowledged before a SIGKILL produce their events for
/// a client that resumes after the restart: every acknowledged create reaches the client, before the kill or in the
/// replay, once, in order.
/// </summary>
public abstract class RealtimeCrashTests(StorageKind kind, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Email = "rtcrash@example.com";
    private const string Password = "1234567890";
    private const int Writers = 8;
    private const int AcknowledgedBeforeKill = 200;

    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "basalt-rtcrash-" + Guid.NewGuid().ToString("N")[..10]);
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
    public async Task Writes_acknowledged_before_a_SIGKILL_reach_a_client_that_resumes_after_the_restart()
    {
        var args = new List<string> { "superuser", "upsert", Email, Password, "--dir", _dataDir };
        if (_database is not null)
        {
            args.AddRange(["--db", _database]);
        }

        var upsert = await BasaltProcess.RunAsync([.. args]);
        Assert.True(upsert.ExitCode == 0, upsert.Output);

        var acknowledged = new ConcurrentDictionary<string, bool>();
        var seen = new List<(long Id, string RecordId)>();
        string collection;
        var (server, _) = await BasaltProcess.StartAsync(_dataDir, _database);
        await using (server)
        {
            using var admin = await SignInAsync(server.BaseAddress);
            collection = await CreateCollectionAsync(admin);
            using var guest = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
            var sse = await SseConnection.OpenAsync(guest);
            Assert.Equal(HttpStatusCode.NoContent, (await RealtimeTests.Subscribe(guest, sse.ClientId, collection + "/*")).Status);
            var reading = ReadUntilEndAsync(sse, seen);

            var writers = Enumerable.Range(0, Writers).Select(_ => WriteUntilFailureAsync(server.BaseAddress, collection, acknowledged)).ToList();
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (acknowledged.Count < AcknowledgedBeforeKill && DateTime.UtcNow < deadline && !writers.All(t => t.IsCompleted))
            {
                await Task.Delay(5);
            }

            await server.KillAsync();
            await Task.WhenAll(writers);
            await reading;
            await sse.DisposeAsync();
            Assert.True(acknowledged.Count >= AcknowledgedBeforeKill, $"only {acknowledged.Count} writes before the deadline: {server.Output}");
        }

        var last = seen.Count > 0 ? seen[^1].Id : 0;
        var (restarted, _) = await BasaltProcess.StartAsync(_dataDir, _database);
        await using (restarted)
        {
            using var guest = new HttpClient { BaseAddress = restarted.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
            await using var sse = await SseConnection.OpenAsync(guest, last.ToString(CultureInfo.InvariantCulture));
            Assert.Equal(HttpStatusCode.NoContent, (await RealtimeTests.Subscribe(guest, sse.ClientId, collection + "/*")).Status);
            var (status, marker) = await guest.PostJsonAsync($"/api/collections/{collection}/records", new { title = "marker" });
            Assert.True(status == HttpStatusCode.OK, marker?.ToJsonString());
            var markerId = marker!["id"]!.GetValue<string>();

            var replayed = new List<(long Id, string RecordId)>();
            while (true)
            {
                var frame = await sse.ReadAsync(TimeSpan.FromSeconds(60)) ?? throw new InvalidOperationException("the resumed stream ended");
                var recordId = JsonNode.Parse(frame.Data)!["record"]!["id"]!.GetValue<string>();
                if (recordId == markerId)
                {
                    break;
                }

                replayed.Add((long.Parse(frame.Id, CultureInfo.InvariantCulture), recordId));
            }

            var all = seen.Concat(replayed).ToList();
            Assert.True(all.Zip(all.Skip(1)).All(p => p.First.Id < p.Second.Id), "event ids do not grow: " + string.Join(", ", all.Select(e => e.Id)));
            Assert.Equal(all.Count, all.Select(e => e.RecordId).Distinct().Count());
            var delivered = all.Select(e => e.RecordId).ToHashSet();
            Assert.All(acknowledged.Keys, id => Assert.True(delivered.Contains(id), $"acknowledged record {id} never reached the client"));
            output.WriteLine($"{kind}: {acknowledged.Count} acknowledged, {seen.Count} events before the kill (last {last}), {replayed.Count} replayed after the restart");
        }
    }

    private static async Task ReadUntilEndAsync(SseConnection sse, List<(long Id, string RecordId)> seen)
    {
        try
        {
            while (await sse.ReadAsync(TimeSpan.FromSeconds(120)) is { } frame)
            {
                seen.Add((long.Parse(frame.Id, CultureInfo.InvariantCulture), JsonNode.Parse(frame.Data)!["record"]!["id"]!.GetValue<string>()));
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException)
        {
            // the server was killed mid-frame
        }
    }

    private static async Task WriteUntilFailureAsync(Uri baseAddress, string collection, ConcurrentDictionary<string, bool> acknowledged)
    {
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        for (var i = 0; ; i++)
        {
            try
            {
                var (status, body) = await http.PostJsonAsync($"/api/collections/{collection}/records", new { title = "write " + i });
                if (status != HttpStatusCode.OK)
                {
                    return;
                }

                acknowledged[body!["id"]!.GetValue<string>()] = true;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
            {
                // The server died: this write was sent but not acknowledged, which is allowed either way.
                return;
            }
        }
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
        var name = HttpJson.UniqueName("rtcrash");
        var (status, body) = await admin.PostJsonAsync("/api/collections", new JsonObject
        {
            ["name"] = name,
            ["type"] = "base",
            ["listRule"] = "",
            ["createRule"] = "",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "title", ["type"] = "text" }),
        });
        Assert.True(status == HttpStatusCode.OK, $"create collection: {status} {body}");
        return name;
    }
}

/// <summary>The realtime crash test on SQLite (durable mode).</summary>
public sealed class RealtimeCrashSqliteTests(ITestOutputHelper output) : RealtimeCrashTests(StorageKind.Sqlite, output);

/// <summary>The realtime crash test on PostgreSQL.</summary>
public sealed class RealtimeCrashPostgresTests(ITestOutputHelper output) : RealtimeCrashTests(StorageKind.Postgres, output);
