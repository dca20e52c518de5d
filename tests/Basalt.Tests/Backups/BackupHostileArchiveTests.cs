using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Basalt.Backups;
using Basalt.Realtime;
using Basalt.Storage.Tables;
using Basalt.Tests.Fixtures;
using Microsoft.Data.Sqlite;

namespace Basalt.Tests.Backups;

/// <summary>
/// Archives crafted to pass every checksum (whoever writes one writes its manifest too) but holding a database this
/// server cannot run on; names a client may not give; and what a restore does to realtime and the change log.
/// </summary>
public abstract class BackupHostileArchiveTests(BasaltServerFixture fixture) : BackupTestBase(fixture)
{
    [Fact]
    public async Task A_crafted_archive_whose_database_lacks_a_collection_table_is_refused_and_changes_nothing()
    {
        var (name, _) = await CollectionAsync("""[{"name":"title","type":"text"}]""");
        await CreateRecordAsync(name, new { title = "kept" });
        var good = await DownloadAsync(await CreateBackupAsync());
        var crafted = Server.Storage == StorageKind.Sqlite
            ? WithEntry(good, BackupManifest.DatabaseFolder + "data.db", db => DropSqliteTable(db, name))
            : WithEntry(good, BackupManifest.DatabaseFolder + "schema.json", schema => DropPostgresTable(schema, name));
        var backup = NewBackupName();
        var (uploaded, uploadBody) = await UploadAsync(backup, crafted);
        Assert.True(uploaded == HttpStatusCode.NoContent, uploadBody?.ToJsonString());

        var (status, body) = await RestoreAsync(backup);
        Assert.True(status == HttpStatusCode.BadRequest, $"{(int)status} {body?.ToJsonString()}");
        Assert.Contains("not one this Basalt can run on", body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["kept"], (await AllRecordsAsync(name)).Select(r => r["title"]!.GetValue<string>()));
        var (listed, _) = await Superuser.GetJsonAsync("/api/collections");
        Assert.Equal(HttpStatusCode.OK, listed);
    }

    [Fact]
    public async Task A_client_may_not_name_a_backup_as_the_scheduler_does()
    {
        var (status, body) = await Superuser.PostJsonAsync("/api/backups", new { name = BackupNames.AutoPrefix + "mine.zip" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("validation_match_invalid", body!["data"]!["name"]!["code"]!.GetValue<string>());
        Assert.DoesNotContain(BackupNames.AutoPrefix + "mine.zip", await BackupKeysAsync());
    }

    [Fact]
    public async Task A_restore_ends_realtime_connections_and_restarts_the_change_log_past_every_earlier_id()
    {
        var (name, _) = await CollectionAsync("""[{"name":"title","type":"text"}]""");
        var backup = await CreateBackupAsync();
        for (var i = 0; i < 3; i++)
        {
            await CreateRecordAsync(name, new { title = "after the backup " + i });
        }

        var registry = Server.Services.GetRequiredService<RealtimeClientRegistry>();
        var client = registry.Connect("127.0.0.1");
        var log = Server.Services.GetRequiredService<ChangeLogStore>();
        var before = (await log.BoundsAsync(CancellationToken.None)).Head;

        var (status, body) = await RestoreAsync(backup);
        Assert.True(status == HttpStatusCode.NoContent, body?.ToJsonString());

        Assert.True(client.IsClosed, "a connection bound to the data before the restore is ended");
        Assert.Null(registry.Find(client.Id));
        var bounds = await log.BoundsAsync(CancellationToken.None);
        Assert.True(bounds.PrunedThrough > before, $"a client resuming from the last id before the restore ({before}) is told to reload (pruned through {bounds.PrunedThrough})");
        Assert.Empty(await log.ReadAsync(0, long.MaxValue, 10, CancellationToken.None));
        Assert.True(
            Server.Services.GetRequiredService<RealtimeDispatcher>().Position >= bounds.PrunedThrough,
            "the dispatcher moves past the mark, so a reset's id is one a client may resume from");

        await CreateRecordAsync(name, new { title = "after the restore" });
        var entries = await log.ReadAsync(0, long.MaxValue, 10, CancellationToken.None);
        Assert.True(entries.Count > 0 && entries.All(e => e.Id > bounds.PrunedThrough), "new entries follow the mark");
    }

    /// <summary>The archive with the entry <paramref name="entryName"/> changed by <paramref name="edit"/> and the manifest's size and checksum of it to match.</summary>
    protected static byte[] WithEntry(byte[] archive, string entryName, Func<byte[], byte[]> edit)
    {
        byte[] content;
        using (var source = new ZipArchive(new MemoryStream(archive), ZipArchiveMode.Read))
        using (var stream = source.GetEntry(entryName)!.Open())
        using (var copy = new MemoryStream())
        {
            stream.CopyTo(copy);
            content = edit(copy.ToArray());
        }

        using var buffer = new MemoryStream();
        buffer.Write(archive);
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Update, leaveOpen: true))
        {
            zip.GetEntry(entryName)!.Delete();
            using var writer = zip.CreateEntry(entryName).Open();
            writer.Write(content);
        }

        return WithManifest(buffer.ToArray(), manifest =>
        {
            var entry = manifest["entries"]!.AsArray().Single(e => e!["name"]!.GetValue<string>() == entryName)!;
            entry["size"] = content.Length;
            entry["sha256"] = Convert.ToHexStringLower(SHA256.HashData(content));
        });
    }

    private static byte[] DropSqliteTable(byte[] database, string table)
    {
        var path = Path.Combine(Path.GetTempPath(), "basalt-crafted-" + Guid.NewGuid().ToString("N") + ".db");
        try
        {
            System.IO.File.WriteAllBytes(path, database);
            using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString()))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = $"DROP TABLE \"{table}\"";
                command.ExecuteNonQuery();
            }

            return System.IO.File.ReadAllBytes(path);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    private static byte[] DropPostgresTable(byte[] schema, string table)
    {
        var json = JsonNode.Parse(schema)!;
        var tables = json["tables"]!.AsArray();
        tables.Remove(tables.Single(t => t!["name"]!.GetValue<string>() == table));
        return System.Text.Encoding.UTF8.GetBytes(json.ToJsonString());
    }
}

public sealed class BackupHostileArchiveSqliteTests(SqliteServerFixture f) : BackupHostileArchiveTests(f), IClassFixture<SqliteServerFixture>;

public sealed class BackupHostileArchivePostgresTests(PostgresServerFixture f) : BackupHostileArchiveTests(f), IClassFixture<PostgresServerFixture>
{
    [Theory]
    [InlineData("constraint", "CHECK ((length(pg_read_file('/etc/hostname'::text)) > 0))")]
    [InlineData("default", "pg_read_file('/etc/hostname'::text)")]
    [InlineData("view", "SELECT pg_read_file('/etc/hostname'::text) AS id")]
    [InlineData("view", "SELECT \"pg_read_file\"('/etc/hostname'::text) AS id")]
    public async Task A_schema_that_would_run_a_function_of_its_choosing_is_refused(string where, string sql)
    {
        var good = await DownloadAsync(await CreateBackupAsync());
        var crafted = WithEntry(good, BackupManifest.DatabaseFolder + "schema.json", bytes =>
        {
            var schema = JsonNode.Parse(bytes)!;
            var table = schema["tables"]!.AsArray().First(t => t!["name"]!.GetValue<string>() == "_params")!;
            switch (where)
            {
                case "constraint":
                    table["constraints"]!.AsArray().Add(new JsonObject { ["name"] = "crafted", ["definition"] = sql });
                    break;
                case "default":
                    table["columns"]!.AsArray().First(c => c!["name"]!.GetValue<string>() == "value")!["default"] = sql;
                    break;
                default:
                    schema["views"]!.AsArray().Add(new JsonObject { ["name"] = "crafted", ["definition"] = sql });
                    break;
            }

            return System.Text.Encoding.UTF8.GetBytes(schema.ToJsonString());
        });
        var backup = NewBackupName();
        Assert.Equal(HttpStatusCode.NoContent, (await UploadAsync(backup, crafted)).Status);

        var (status, body) = await RestoreAsync(backup);
        Assert.True(status == HttpStatusCode.BadRequest, $"{(int)status} {body?.ToJsonString()}");
        Assert.Contains($"invalid {(where == "default" ? "column" : where)} definition", body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
