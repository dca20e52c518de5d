using System.Net;
using Amazon.S3.Model;
using Basalt.Settings;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Backups;

/// <summary>Backups kept in the bucket of <c>backups.s3</c>, with the files themselves in the fixture's S3 bucket.</summary>
public abstract class BackupS3Tests(BasaltServerFixture fixture) : BackupTestBase(fixture), IAsyncLifetime
{
    private S3Settings? _bucket;

    public async Task InitializeAsync()
    {
        _bucket = await S3TestServer.CreateBucketAsync();
        var (status, body) = await Superuser.PatchJsonAsync("/api/settings", new { backups = new { s3 = _bucket.ToJson(includeSecrets: true) } });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
    }

    public async Task DisposeAsync()
    {
        var (status, _) = await Superuser.PatchJsonAsync("/api/settings", new { backups = new { s3 = new { enabled = false } } });
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Backups_go_to_the_bucket_and_restore_from_it()
    {
        var (name, _) = await CollectionAsync("""[{"name":"doc","type":"file","maxSelect":1}]""");
        var record = await CreateWithFilesAsync(name, File("doc", "report.png", Png));
        var backup = await CreateBackupAsync();

        using var s3 = S3TestServer.Client(_bucket!);
        var objects = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket!.Bucket });
        Assert.Contains(backup, objects.S3Objects.Select(o => o.Key));
        Assert.False(System.IO.File.Exists(Path.Combine(Server.DataDir, "backups", backup)));
        Assert.Contains(backup, await BackupKeysAsync());
        Assert.True((await DownloadAsync(backup)).Length > 0);

        var (deleted, _) = await Superuser.DeleteJsonAsync(Records(name, record["id"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NoContent, deleted);
        var restored = await RestoreAsync(backup);
        Assert.True(restored.Status == HttpStatusCode.NoContent, restored.Body?.ToJsonString());

        using var response = await Superuser.GetAsync(FileUrl(name, record["id"]!.GetValue<string>(), Names(record["doc"])[0]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Png, await response.Content.ReadAsByteArrayAsync());
        Assert.Empty(Directory.Exists(Path.Combine(Server.DataDir, ".backups-work")) ? Directory.GetFiles(Path.Combine(Server.DataDir, ".backups-work")) : []);
    }
}

public sealed class BackupS3SqliteTests(SqliteS3ServerFixture f) : BackupS3Tests(f), IClassFixture<SqliteS3ServerFixture>;

public sealed class BackupS3PostgresTests(PostgresS3ServerFixture f) : BackupS3Tests(f), IClassFixture<PostgresS3ServerFixture>;
