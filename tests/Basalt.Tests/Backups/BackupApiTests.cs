using System.Net;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Backups;

/// <summary>The <c>/api/backups</c> routes: who may call them, what they answer, and one backup or restore at a time.</summary>
public abstract class BackupApiTests(BasaltServerFixture fixture) : BackupTestBase(fixture)
{
    public static TheoryData<string, string> Routes => new()
    {
        { "GET", "/api/backups" },
        { "POST", "/api/backups" },
        { "POST", "/api/backups/upload" },
        { "DELETE", "/api/backups/any.zip" },
        { "POST", "/api/backups/any.zip/restore" },
        { "GET", "/api/crons" },
        { "POST", "/api/crons/__pbLogsCleanup__" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Guests_get_401_and_other_auth_records_403(string method, string url)
    {
        var (_, _, user) = await CreateSignedInUserAsync();
        var (guest, body) = await Guest.SendJsonAsync(new HttpMethod(method), url, new { });
        Assert.Equal(HttpStatusCode.Unauthorized, guest);
        Assert.Equal(401, body!["status"]!.GetValue<int>());
        var (other, _) = await user.SendJsonAsync(new HttpMethod(method), url, new { });
        Assert.Equal(HttpStatusCode.Forbidden, other);
    }

    [Fact]
    public async Task Create_list_download_with_a_superuser_file_token_and_delete()
    {
        var name = await CreateBackupAsync();
        var (status, list) = await Superuser.GetJsonAsync("/api/backups");
        Assert.Equal(HttpStatusCode.OK, status);
        var item = list!.AsArray().Single(b => b!["key"]!.GetValue<string>() == name)!;
        Assert.True(item["size"]!.GetValue<long>() > 0);
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z$", item["modified"]!.GetValue<string>());

        var bytes = await DownloadAsync(name);
        Assert.Equal(item["size"]!.GetValue<long>(), bytes.LongLength);
        Assert.Equal((byte)'P', bytes[0]);

        using (var noToken = await Guest.GetAsync($"/api/backups/{name}"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, noToken.StatusCode);
        }

        var (_, _, user) = await CreateSignedInUserAsync();
        var (_, userToken) = await user.PostJsonAsync("/api/files/token", new { });
        using (var userFileToken = await Guest.GetAsync($"/api/backups/{name}?token={userToken!["token"]!.GetValue<string>()}"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, userFileToken.StatusCode);
        }

        var authToken = Superuser.DefaultRequestHeaders.GetValues("Authorization").First();
        using (var withAuthToken = await Guest.GetAsync($"/api/backups/{name}?token={authToken}"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, withAuthToken.StatusCode);
        }

        var (taken, body) = await Superuser.PostJsonAsync("/api/backups", new { name });
        Assert.Equal(HttpStatusCode.BadRequest, taken);
        Assert.Equal("validation_backup_name_exists", body!["data"]!["name"]!["code"]!.GetValue<string>());
        (taken, body) = await Superuser.PostJsonAsync("/api/backups", new { name = "Not Valid.zip" });
        Assert.Equal(HttpStatusCode.BadRequest, taken);

        var (deleted, _) = await Superuser.DeleteJsonAsync($"/api/backups/{name}");
        Assert.Equal(HttpStatusCode.NoContent, deleted);
        Assert.DoesNotContain(name, await BackupKeysAsync());
        (deleted, _) = await Superuser.DeleteJsonAsync($"/api/backups/{name}");
        Assert.Equal(HttpStatusCode.BadRequest, deleted);
    }

    [Fact]
    public async Task A_backup_without_a_name_gets_PocketBase_s_default_name_and_an_upload_keeps_its_file_name()
    {
        var before = await BackupKeysAsync();
        var (status, _) = await Superuser.PostJsonAsync("/api/backups", new { });
        Assert.Equal(HttpStatusCode.NoContent, status);
        var created = (await BackupKeysAsync()).Except(before).Single();
        Assert.Matches(@"^pb_backup_[a-z0-9_]+_\d{14}\.zip$", created);

        var uploaded = "Uploaded-Copy." + Guid.NewGuid().ToString("N")[..6] + ".zip";
        Assert.Equal(HttpStatusCode.NoContent, (await UploadAsync(uploaded, await DownloadAsync(created))).Status);
        Assert.Contains(uploaded, await BackupKeysAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await UploadAsync(uploaded, await DownloadAsync(created))).Status);
    }

    [Fact]
    public async Task Only_one_backup_or_restore_runs_at_a_time_and_health_says_so()
    {
        var paused = new TaskCompletionSource();
        var resume = new TaskCompletionSource();
        Backups.AfterSnapshot = async _ =>
        {
            paused.SetResult();
            await resume.Task;
        };
        try
        {
            var first = CreateBackupAsync();
            await paused.Task.WaitAsync(TimeSpan.FromSeconds(60));
            var (status, body) = await Superuser.PostJsonAsync("/api/backups", new { name = NewBackupName() });
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains("another backup/restore", body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
            (status, _) = await RestoreAsync("whatever.zip");
            Assert.Equal(HttpStatusCode.BadRequest, status);
            var (_, health) = await Superuser.GetJsonAsync("/api/health");
            Assert.False(health!["data"]!["canBackup"]!.GetValue<bool>());
            resume.SetResult();
            await first;
        }
        finally
        {
            Backups.AfterSnapshot = null;
            resume.TrySetResult();
        }

        var (_, after) = await Superuser.GetJsonAsync("/api/health");
        Assert.True(after!["data"]!["canBackup"]!.GetValue<bool>());
    }
}

public sealed class BackupApiSqliteTests(SqliteServerFixture f) : BackupApiTests(f), IClassFixture<SqliteServerFixture>;

public sealed class BackupApiPostgresTests(PostgresServerFixture f) : BackupApiTests(f), IClassFixture<PostgresServerFixture>;
