using System.Net;
using System.Text;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Backups;

/// <summary>Archives that are not whole backups this server can restore are refused with 400, and nothing changes.</summary>
public abstract class BackupRefusalTests(BasaltServerFixture fixture) : BackupTestBase(fixture)
{
    [Fact]
    public async Task Damaged_truncated_foreign_and_path_tricking_archives_are_refused_on_upload_and_nothing_is_stored()
    {
        var good = await DownloadAsync(await CreateBackupAsync());
        var corrupted = (byte[])good.Clone();
        for (var i = corrupted.Length / 3; i < (corrupted.Length / 3) + 64; i++)
        {
            corrupted[i] ^= 0x5A;
        }

        var cases = new (string Name, byte[] Content)[]
        {
            ("foreign.zip", Zip(("hello.txt", "hello"u8.ToArray()))),
            ("not-a-zip.zip", "plain text, not an archive"u8.ToArray()),
            ("truncated.zip", good[..(good.Length / 2)]),
            ("corrupted.zip", corrupted),
            ("climbing.zip", Zip(("manifest.json", "{}"u8.ToArray()), ("../../data.db", "x"u8.ToArray()))),
            ("absolute.zip", Zip(("/etc/passwd", "x"u8.ToArray()))),
            ("unlisted.zip", AddEntry(good, "storage/extra/file/x.txt")),
            ("bad-key.zip", WithManifest(good, m => m["files"]!.AsArray().Add("../../../etc/passwd"))),
        };
        var before = await BackupKeysAsync();
        foreach (var (name, content) in cases)
        {
            var (status, body) = await UploadAsync(name, content);
            Assert.True(status == HttpStatusCode.BadRequest, $"{name}: {(int)status} {body?.ToJsonString()}");
            Assert.Equal(400, body!["status"]!.GetValue<int>());
        }

        foreach (var name in new[] { "../escape.zip", "..", "a/b.zip", ".hidden.zip", "noextension" })
        {
            var (status, _) = await UploadAsync(name, good);
            Assert.Equal(HttpStatusCode.BadRequest, status);
        }

        Assert.Equal(before, await BackupKeysAsync());
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(Server.DataDir, "backups"), ".upload-*"));
    }

    [Fact]
    public async Task A_damaged_archive_in_the_backups_folder_or_one_of_another_kind_or_a_newer_Basalt_is_refused_on_restore_and_changes_nothing()
    {
        var (name, _) = await CollectionAsync("""[{"name":"title","type":"text"}]""");
        var good = await DownloadAsync(await CreateBackupAsync());
        await CreateRecordAsync(name, new { title = "written after the backup" });

        var damaged = (byte[])good.Clone();
        Array.Fill<byte>(damaged, 0, damaged.Length / 3, Math.Min(4096, damaged.Length / 4));
        var stray = NewBackupName();
        await System.IO.File.WriteAllBytesAsync(Path.Combine(Server.DataDir, "backups", stray), damaged);
        var (status, body) = await RestoreAsync(stray);
        Assert.True(status == HttpStatusCode.BadRequest, body?.ToJsonString());

        var otherKind = Server.Storage == StorageKind.Sqlite ? "postgres" : "sqlite";
        var foreignKind = NewBackupName();
        Assert.Equal(HttpStatusCode.NoContent, (await UploadAsync(foreignKind, WithManifest(good, m => m["database"] = otherKind))).Status);
        (status, body) = await RestoreAsync(foreignKind);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("only into the kind of database that made it", body!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        var newer = NewBackupName();
        Assert.Equal(HttpStatusCode.NoContent, (await UploadAsync(newer, WithManifest(good, m => m["basaltVersion"] = "999.0.0"))).Status);
        (status, body) = await RestoreAsync(newer);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("newer than this one", body!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        (status, _) = await RestoreAsync("missing-backup.zip");
        Assert.Equal(HttpStatusCode.BadRequest, status);

        var rows = await AllRecordsAsync(name);
        Assert.Equal(["written after the backup"], rows.Select(r => r["title"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("..%2F..%2Fdata.db")]
    [InlineData("..%2Fbackups%2Fx.zip")]
    [InlineData("%2E%2E")]
    [InlineData(".upload-0123.zip")]
    public async Task Names_that_climb_out_of_the_backups_folder_are_refused(string key)
    {
        var (restore, _) = await Superuser.PostJsonAsync($"/api/backups/{key}/restore", new { });
        Assert.True((int)restore is >= 400 and < 500, $"restore {(int)restore}");
        var (delete, _) = await Superuser.DeleteJsonAsync($"/api/backups/{key}");
        Assert.True((int)delete is >= 400 and < 500, $"delete {(int)delete}");
        var (_, token) = await Superuser.PostJsonAsync("/api/files/token", new { });
        using var download = await Guest.GetAsync($"/api/backups/{key}?token={token!["token"]!.GetValue<string>()}");
        Assert.True((int)download.StatusCode is >= 400 and < 500, $"download {(int)download.StatusCode}");
        Assert.True(System.IO.File.Exists(Path.Combine(Server.DataDir, "data.db")) || Server.Storage == StorageKind.Postgres);
    }

    private static byte[] AddEntry(byte[] archive, string name)
    {
        using var buffer = new MemoryStream();
        buffer.Write(archive);
        using (var zip = new System.IO.Compression.ZipArchive(buffer, System.IO.Compression.ZipArchiveMode.Update, leaveOpen: true))
        {
            using var stream = zip.CreateEntry(name).Open();
            stream.Write(Encoding.UTF8.GetBytes("not listed"));
        }

        return buffer.ToArray();
    }
}

public sealed class BackupRefusalSqliteTests(SqliteServerFixture f) : BackupRefusalTests(f), IClassFixture<SqliteServerFixture>;

public sealed class BackupRefusalPostgresTests(PostgresServerFixture f) : BackupRefusalTests(f), IClassFixture<PostgresServerFixture>;
