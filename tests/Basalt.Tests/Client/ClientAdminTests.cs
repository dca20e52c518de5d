using System.Text.Json.Nodes;
using Basalt.Client;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Client;

/// <summary>The superuser's API groups through the .NET client: collections, settings, logs, health, batch, backups and crons.</summary>
public abstract class ClientAdminTests(BasaltServerFixture server)
{
    [Fact]
    public async Task Collections_create_list_update_truncate_import_and_delete()
    {
        await using var admin = await ClientKit.SuperuserAsync(server);
        var name = await ClientKit.CreatePostsAsync(admin);
        await admin.Collection(name).CreateAsync(new JsonObject { ["title"] = "to truncate" });

        var one = await admin.Collections.GetOneAsync(name);
        var listed = await admin.Collections.GetListAsync(new ListOptions { Filter = Filter.Format("name = {:n}", new Dictionary<string, object?> { ["n"] = name }) });
        var updated = await admin.Collections.UpdateAsync(name, new JsonObject { ["listRule"] = "views > 0" });
        await admin.Collections.TruncateAsync(name);
        var emptied = await admin.Collection(name).GetListAsync();
        var scaffolds = await admin.Collections.GetScaffoldsAsync();
        var providers = await admin.Collections.GetOAuth2ProvidersAsync();
        var all = await admin.Collections.GetFullListAsync();
        var imported = HttpJson.UniqueName("imported");
        await admin.Collections.ImportAsync(new JsonArray(new JsonObject
        {
            ["name"] = imported,
            ["type"] = "base",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "label", ["type"] = "text" }),
        }));
        var importedOne = await admin.Collections.GetOneAsync(imported);
        var dryRun = await admin.Collections.DryRunViewAsync($"SELECT id, title FROM {name}");
        await admin.Collections.DeleteAsync(name);
        var gone = await Assert.ThrowsAsync<ClientResponseException>(() => admin.Collections.GetOneAsync(name));

        Assert.Equal(name, one["name"]!.GetValue<string>());
        Assert.Single(listed.Items);
        Assert.Equal("views > 0", updated["listRule"]!.GetValue<string>());
        Assert.Empty(emptied.Items);
        Assert.NotNull(scaffolds["auth"]);
        Assert.Contains(providers, p => p!["name"]!.GetValue<string>() == "google");
        Assert.Contains(all, c => c["name"]!.GetValue<string>() == "_superusers");
        Assert.Contains(importedOne["fields"]!.AsArray(), f => f!["name"]!.GetValue<string>() == "label");
        Assert.Contains(dryRun["fields"]!.AsArray(), f => f!["name"]!.GetValue<string>() == "title");
        Assert.Equal(404, gone.Status);
    }

    [Fact]
    public async Task Settings_health_and_logs()
    {
        await using var admin = await ClientKit.SuperuserAsync(server);
        await using var guest = ClientKit.Guest(server);
        var appName = HttpJson.UniqueName("app");

        var updated = await admin.Settings.UpdateAsync(new JsonObject { ["meta"] = new JsonObject { ["appName"] = appName } });
        var read = await admin.Settings.GetAllAsync();
        var adminHealth = await admin.Health.CheckAsync();
        var guestHealth = await guest.Health.CheckAsync();
        var marker = await WaitForLogAsync(admin);
        var log = await admin.Logs.GetOneAsync(marker["id"]!.GetValue<string>());
        var stats = await admin.Logs.GetStatsAsync("message ~ '/api/health'");

        Assert.Equal(appName, updated["meta"]!["appName"]!.GetValue<string>());
        Assert.Equal(appName, read["meta"]!["appName"]!.GetValue<string>());
        Assert.Equal((200, "API is healthy."), (guestHealth.Code, guestHealth.Message));
        Assert.Empty(guestHealth.Data);
        Assert.Equal("127.0.0.1", adminHealth.Data["realIP"]!.GetValue<string>());
        Assert.Equal(marker["message"]!.GetValue<string>(), log["message"]!.GetValue<string>());
        Assert.NotEmpty(stats);
        Assert.True(stats.Sum(s => s.Total) >= 1);
    }

    [Fact]
    public async Task A_batch_runs_its_writes_in_one_transaction_and_a_failure_names_the_request()
    {
        await using var admin = await ClientKit.SuperuserAsync(server);
        await admin.Settings.UpdateAsync(new JsonObject { ["batch"] = new JsonObject { ["enabled"] = true, ["maxRequests"] = 50 } });
        var name = await ClientKit.CreatePostsAsync(admin, "batch", new JsonObject
        {
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "title", ["type"] = "text", ["required"] = true }, new JsonObject { ["name"] = "doc", ["type"] = "file" }),
        });
        var existing = await admin.Collection(name).CreateAsync(new JsonObject { ["title"] = "existing" });

        var batch = admin.CreateBatch();
        batch.Collection(name)
            .Create(new JsonObject { ["title"] = "new" }, [new Basalt.Client.Files.FileUpload("doc", "alpha.txt", "abc"u8.ToArray())])
            .Update(ClientKit.Id(existing), new JsonObject { ["title"] = "renamed" })
            .Upsert(new JsonObject { ["id"] = "upsertedrecord1", ["title"] = "upserted" })
            .Delete(ClientKit.Id(existing));
        var results = await batch.SendAsync();
        var failing = admin.CreateBatch();
        failing.Collection(name).Create(new JsonObject { ["title"] = "kept out" }).Create(new JsonObject { ["title"] = "" });
        var failure = await Assert.ThrowsAsync<ClientResponseException>(() => failing.SendAsync());
        var titles = (await admin.Collection(name).GetFullListAsync(new ListOptions { Sort = "title" })).Select(r => r["title"]!.GetValue<string>());

        Assert.Equal([200, 200, 200, 204], results.Select(r => r.Status));
        Assert.StartsWith("alpha_", results[0].Body!["doc"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(400, failure.Status);
        Assert.Equal("batch_request_failed", failure.FieldErrors["requests.1"].Code);
        Assert.Equal(["new", "upserted"], titles);
    }

    [Fact]
    public async Task Backups_and_crons()
    {
        await using var admin = await ClientKit.SuperuserAsync(server);
        var key = HttpJson.UniqueName("client_backup").ToLowerInvariant() + ".zip";

        await admin.Backups.CreateAsync(key);
        var backups = await admin.Backups.GetFullListAsync();
        var token = await admin.Files.GetTokenAsync();
        using var http = new HttpClient();
        var zip = await http.GetByteArrayAsync(admin.Backups.GetDownloadUrl(token, key));
        await admin.Backups.DeleteAsync(key);
        using (var upload = new MemoryStream(zip))
        {
            await admin.Backups.UploadAsync(upload, "uploaded_" + key);
        }

        var afterUpload = await admin.Backups.GetFullListAsync();
        var crons = await admin.Crons.GetFullListAsync();
        await admin.Crons.RunAsync(crons[0].Id);
        var missing = await Assert.ThrowsAsync<ClientResponseException>(() => admin.Crons.RunAsync("no-such-job"));

        Assert.Contains(backups, b => b.Key == key && b.Size > 0);
        Assert.Equal((byte)'P', zip[0]);
        Assert.Contains(afterUpload, b => b.Key == "uploaded_" + key);
        Assert.DoesNotContain(afterUpload, b => b.Key == key);
        Assert.NotEmpty(crons);
        Assert.Equal(404, missing.Status);
    }

    private static async Task<JsonObject> WaitForLogAsync(BasaltClient admin)
    {
        var marker = "m" + Guid.NewGuid().ToString("N")[..12];
        await admin.SendAsync(HttpMethod.Get, "api/health?m=" + marker);
        var filter = Filter.Format("message ~ {:m} && message !~ '/api/logs'", new Dictionary<string, object?> { ["m"] = marker });
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var page = await admin.Logs.GetListAsync(new ListOptions { Filter = filter });
            if (page.Items.Count > 0)
            {
                return page.Items[0];
            }

            Assert.True(DateTime.UtcNow < deadline, "the request log did not arrive");
            await Task.Delay(100);
        }
    }
}

public sealed class ClientAdminSqliteTests(SqliteServerFixture f) : ClientAdminTests(f), IClassFixture<SqliteServerFixture>;

public sealed class ClientAdminPostgresTests(PostgresServerFixture f) : ClientAdminTests(f), IClassFixture<PostgresServerFixture>;
