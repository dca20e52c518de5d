using System.Collections.Concurrent;
using System.Net;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Backups;

/// <summary>A backup taken while writers write: what it holds, and what restoring it gives back.</summary>
public abstract class BackupOnlineTests(BasaltServerFixture fixture) : BackupTestBase(fixture)
{
    private const int Writers = 16;

    [Fact]
    public async Task A_backup_taken_while_sixteen_writers_write_holds_every_acknowledged_write_and_restores_consistently()
    {
        var (name, collectionId) = await CollectionAsync("""[{"name":"writer","type":"number"},{"name":"seq","type":"number"},{"name":"doc","type":"file","maxSelect":1}]""");
        var kept = await CreateWithFilesAsync(name, File("doc", "kept.txt", Text("kept file")));
        var dropped = await CreateWithFilesAsync(name, File("doc", "dropped.txt", Text("dropped after the snapshot")));
        var keptFile = Names(kept["doc"])[0];
        var droppedFile = Names(dropped["doc"])[0];
        var droppedId = dropped["id"]!.GetValue<string>();

        var acked = new ConcurrentDictionary<(int Writer, int Seq), bool>();
        var startedAfterSnapshot = new ConcurrentDictionary<(int Writer, int Seq), bool>();
        var afterSnapshot = 0;
        var ackedDuringBackup = 0;
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(1, Writers).Select(w => Task.Run(async () =>
        {
            for (var seq = 1; !stop.IsCancellationRequested; seq++)
            {
                if (Volatile.Read(ref afterSnapshot) == 1)
                {
                    startedAfterSnapshot[(w, seq)] = true;
                }

                await CreateRecordAsync(name, new { writer = w, seq });
                acked[(w, seq)] = true;
                if (Volatile.Read(ref afterSnapshot) == 1)
                {
                    Interlocked.Increment(ref ackedDuringBackup);
                }
            }
        })).ToArray();

        await WaitUntilAsync(() => acked.Count >= Writers * 4, "every writer has written");
        var ackedBeforeBackup = acked.Keys.ToHashSet();

        // Paused between the snapshot and the copy of the files: writes must go on being acknowledged, and a file
        // dropped now must still reach the archive (its delete waits for the copy).
        Backups.AfterSnapshot = async _ =>
        {
            Volatile.Write(ref afterSnapshot, 1);
            await WaitUntilAsync(() => Volatile.Read(ref ackedDuringBackup) >= Writers * 2, "writes are acknowledged while the backup runs");
            await UpdateWithFilesAsync(name, droppedId, [], ("doc", ""));
        };
        string backup;
        try
        {
            backup = await CreateBackupAsync();
        }
        finally
        {
            Backups.AfterSnapshot = null;
        }

        await stop.CancelAsync();
        await Task.WhenAll(writers);
        Assert.False(await IsStoredAsync($"{collectionId}/{droppedId}/{droppedFile}"), "the held delete ran once the backup was done");

        var restored = await RestoreAsync(backup);
        Assert.True(restored.Status == HttpStatusCode.NoContent, restored.Body?.ToJsonString());

        var rows = await AllRecordsAsync(name);
        var written = rows.Where(r => r["writer"]!.GetValue<double>() > 0)
            .Select(r => ((int)r["writer"]!.GetValue<double>(), (int)r["seq"]!.GetValue<double>()))
            .ToList();
        Assert.Equal(written.Count, written.Distinct().Count());
        var inBackup = written.ToHashSet();
        var lost = ackedBeforeBackup.Where(w => !inBackup.Contains(w)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} writes acknowledged before the backup are missing from it");
        var late = startedAfterSnapshot.Keys.Where(inBackup.Contains).ToList();
        Assert.True(late.Count == 0, $"{late.Count} writes started after the snapshot are in it");

        // Each writer waits for one write before the next, so the snapshot holds a prefix of each writer's writes.
        foreach (var group in written.GroupBy(w => w.Item1))
        {
            var seqs = group.Select(w => w.Item2).Order().ToList();
            Assert.Equal(Enumerable.Range(1, seqs.Count), seqs);
        }

        var restoredDropped = rows.Single(r => r["id"]!.GetValue<string>() == droppedId);
        Assert.Equal(droppedFile, restoredDropped["doc"]!.GetValue<string>());
        foreach (var (id, file, content) in new[] { (kept["id"]!.GetValue<string>(), keptFile, "kept file"), (droppedId, droppedFile, "dropped after the snapshot") })
        {
            using var response = await Superuser.GetAsync(FileUrl(name, id, file));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(content, await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task A_restore_puts_back_deleted_records_and_files_and_removes_later_ones()
    {
        var (name, collectionId) = await CollectionAsync("""[{"name":"title","type":"text"},{"name":"doc","type":"file","maxSelect":2}]""");
        var before = await CreateWithFilesAsync(name, File("doc", "a.txt", Text("alpha")), File("doc", "b.txt", Text("beta")));
        var backup = await CreateBackupAsync();

        var (deleted, _) = await Superuser.DeleteJsonAsync(Records(name, before["id"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NoContent, deleted);
        var later = await CreateWithFilesAsync(name, File("doc", "later.txt", Text("later")));
        var laterKey = $"{collectionId}/{later["id"]!.GetValue<string>()}/{Names(later["doc"])[0]}";

        var changeIdBefore = await LastChangeIdAsync();
        var restored = await RestoreAsync(backup);
        Assert.True(restored.Status == HttpStatusCode.NoContent, restored.Body?.ToJsonString());

        var rows = await AllRecordsAsync(name);
        Assert.Equal([before["id"]!.GetValue<string>()], rows.Select(r => r["id"]!.GetValue<string>()));
        foreach (var file in Names(before["doc"]))
        {
            using var response = await Superuser.GetAsync(FileUrl(name, before["id"]!.GetValue<string>(), file));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.False(await IsStoredAsync(laterKey), "a file no restored record references is swept");
        var after = await CreateRecordAsync(name, new { title = "written after the restore" });
        Assert.True(await LastChangeIdAsync() > changeIdBefore, "change-log ids never go back, or realtime would skip the writes after a restore");
        Assert.Equal(2, (await AllRecordsAsync(name)).Count);
        Assert.Equal("written after the restore", (await ViewAsync(name, after["id"]!.GetValue<string>()))["title"]!.GetValue<string>());
        var (health, body) = await Superuser.GetJsonAsync("/api/health");
        Assert.Equal(HttpStatusCode.OK, health);
        Assert.True(body!["data"]!["canBackup"]!.GetValue<bool>());
    }

    private Task<long> LastChangeIdAsync() =>
        Server.Services.GetRequiredService<Basalt.Storage.IDatabase>().ReadAsync(
            async (c, ct) =>
            {
                await using var command = c.CreateCommand();
                command.CommandText = "SELECT COALESCE(MAX(\"id\"), 0) FROM \"_changes\"";
                return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
            },
            CancellationToken.None);
}

public sealed class BackupOnlineSqliteTests(SqliteServerFixture f) : BackupOnlineTests(f), IClassFixture<SqliteServerFixture>;

public sealed class BackupOnlinePostgresTests(PostgresServerFixture f) : BackupOnlineTests(f), IClassFixture<PostgresServerFixture>;
