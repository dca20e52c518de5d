using Basalt.Files;
using Basalt.Hosting;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Files;

/// <summary>The sweep of unreferenced stored files: what a crash between a file write and its commit (or a commit and its delete) leaves.</summary>
public abstract class FileSweepTests(BasaltServerFixture fixture) : FilesTestBase(fixture)
{
    [Fact]
    public async Task The_sweep_removes_old_unreferenced_files_and_keeps_referenced_and_recent_ones()
    {
        var (name, id) = await CollectionAsync("""[{"name":"docs","type":"file","maxSelect":3}]""");
        var record = await CreateWithFilesAsync(name, File("docs", "kept.txt", Text("k")));
        var recordId = record["id"]!.GetValue<string>();
        var kept = $"{id}/{recordId}/{Names(record["docs"])[0]}";
        var old = DateTime.UtcNow.AddDays(-2);
        var orphan = $"{id}/{recordId}/orphan_0123456789.txt";
        var temporary = $"{id}/{recordId}/.upload-0123456789abcdef";
        var keptThumb = $"{id}/{recordId}/thumbs_{Names(record["docs"])[0]}/100x100_{Names(record["docs"])[0]}";
        var orphanThumb = $"{id}/{recordId}/thumbs_gone_0123456789.png/100x100_gone_0123456789.png";
        var goneCollection = "pbc_nosuchcollection/abc/file_0123456789.txt";
        var recent = $"{id}/{recordId}/inflight_0123456789.txt";
        foreach (var key in new[] { orphan, temporary, keptThumb, orphanThumb, goneCollection })
        {
            await SeedStoredAsync(key, "x", old);
        }

        await SeedStoredAsync(recent, "x", DateTime.UtcNow);
        SetStoredTime(kept, old);

        var removed = await Server.Services.GetRequiredService<FileSweeper>().SweepAsync(DateTimeOffset.UtcNow.AddMinutes(-1), CancellationToken.None);

        Assert.True(removed >= 3, $"removed {removed}");
        Assert.True(await IsStoredAsync(kept));
        Assert.True(await IsStoredAsync(keptThumb));
        Assert.True(await IsStoredAsync(recent), "a file younger than the cut-off may belong to a write in flight");
        foreach (var gone in new[] { orphan, temporary, orphanThumb })
        {
            Assert.False(await IsStoredAsync(gone), gone);
        }

        // A bucket may hold other applications' objects: only the prefixes of known collections are swept there.
        var shared = (await StorageAsync()).IsShared;
        Assert.Equal(shared, await IsStoredAsync(goneCollection));
        Assert.Equal(Server.S3 is not null, shared);
    }
}

public sealed class FileSweepSqliteTests(SqliteServerFixture f) : FileSweepTests(f), IClassFixture<SqliteServerFixture>;

public sealed class FileSweepPostgresTests(PostgresServerFixture f) : FileSweepTests(f), IClassFixture<PostgresServerFixture>;

public sealed class FileSweepSqliteS3Tests(SqliteS3ServerFixture f) : FileSweepTests(f), IClassFixture<SqliteS3ServerFixture>;

public sealed class FileSweepPostgresS3Tests(PostgresS3ServerFixture f) : FileSweepTests(f), IClassFixture<PostgresS3ServerFixture>;

/// <summary>The sweep at start-up, over a storage folder seeded as an interrupted server would have left it.</summary>
public abstract class FileStartupSweepTests(CrashLeftoversFixture fixture)
{
    [Fact]
    public async Task Start_up_removes_what_an_interrupted_server_left()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (fixture.Leftovers.Any(System.IO.File.Exists))
        {
            Assert.True(DateTime.UtcNow < deadline, "the start-up sweep did not remove " + string.Join(", ", fixture.Leftovers.Where(System.IO.File.Exists)));
            await Task.Delay(50);
        }
    }
}

/// <summary>A server whose storage folder holds, before it starts, an orphan upload and a temporary file two days old.</summary>
public abstract class CrashLeftoversFixture : BasaltServerFixture
{
    public List<string> Leftovers { get; } = [];

    protected override void Configure(BasaltOptions options)
    {
        var root = Path.Combine(options.DataDir, "storage", "pbc_crashed", "record000000001");
        Directory.CreateDirectory(root);
        foreach (var name in new[] { "uploaded_0123456789.txt", ".upload-00112233445566778899aabb" })
        {
            var path = Path.Combine(root, name);
            System.IO.File.WriteAllText(path, "left behind");
            System.IO.File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddDays(-2));
            if (!Leftovers.Contains(path))
            {
                Leftovers.Add(path);
            }
        }
    }
}

public sealed class CrashLeftoversSqliteFixture : CrashLeftoversFixture
{
    protected override StorageKind Kind => StorageKind.Sqlite;
}

public sealed class CrashLeftoversPostgresFixture : CrashLeftoversFixture
{
    protected override StorageKind Kind => StorageKind.Postgres;
}

public sealed class FileStartupSweepSqliteTests(CrashLeftoversSqliteFixture f) : FileStartupSweepTests(f), IClassFixture<CrashLeftoversSqliteFixture>;

public sealed class FileStartupSweepPostgresTests(CrashLeftoversPostgresFixture f) : FileStartupSweepTests(f), IClassFixture<CrashLeftoversPostgresFixture>;
