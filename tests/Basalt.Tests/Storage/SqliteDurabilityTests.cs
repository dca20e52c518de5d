using Basalt.Storage;
using Basalt.Storage.Sqlite;

namespace Basalt.Tests.Storage;

/// <summary>The SQLite writer's durability settings, and recovery of acknowledged writes across a reopen.</summary>
public sealed class SqliteDurabilityTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "basalt-dur-" + Guid.NewGuid().ToString("N")[..10]);

    [Theory]
    [InlineData(Durability.Full, 2L)]
    [InlineData(Durability.Fast, 1L)]
    public async Task The_writer_runs_WAL_with_synchronous_FULL_when_durable_and_NORMAL_when_fast(Durability durability, long synchronous)
    {
        await using var db = new SqliteDatabase(new StorageOptions { DataDir = _dir, Durability = durability });
        var (journal, sync) = await db.WriteAsync(
            async (c, tx, _) => (
                (string?)await c.ScalarAsync("PRAGMA journal_mode", tx, CancellationToken.None),
                (long?)await c.ScalarAsync("PRAGMA synchronous", tx, CancellationToken.None)),
            CancellationToken.None);

        Assert.Equal("wal", journal);
        Assert.Equal(synchronous, sync);
        Assert.Equal(Path.Combine(Path.GetFullPath(_dir), "data.db"), db.FilePath);
    }

    [Fact]
    public async Task Durable_mode_is_the_default()
    {
        await using var db = new SqliteDatabase(new StorageOptions { DataDir = _dir });
        var sync = await db.WriteAsync((c, tx, _) => c.ScalarAsync("PRAGMA synchronous", tx, CancellationToken.None), CancellationToken.None);

        Assert.Equal(2L, (long?)sync);
    }

    [Fact]
    public async Task Readers_cannot_write()
    {
        await using var db = new SqliteDatabase(new StorageOptions { DataDir = _dir });
        await db.InitializeAsync(CancellationToken.None);

        await Assert.ThrowsAnyAsync<Microsoft.Data.Sqlite.SqliteException>(() =>
            db.ReadAsync((c, _) => c.ExecuteAsync("""INSERT INTO "_params" ("id") VALUES ('x')""", null, CancellationToken.None), CancellationToken.None));
    }

    [Fact]
    public async Task Concurrent_writes_are_all_committed_and_survive_a_reopen()
    {
        await using (var db = new SqliteDatabase(new StorageOptions { DataDir = _dir }))
        {
            await db.InitializeAsync(CancellationToken.None);
            await Task.WhenAll(Enumerable.Range(0, 200).Select(i => db.WriteAsync(
                (c, tx, _) => c.ExecuteAsync("""INSERT INTO "_params" ("id", "value") VALUES (@id, '1')""", tx, CancellationToken.None, ("id", "k" + i)),
                CancellationToken.None)));
        }

        await using var reopened = new SqliteDatabase(new StorageOptions { DataDir = _dir });
        await reopened.InitializeAsync(CancellationToken.None);
        var count = await reopened.ReadAsync((c, _) => c.ScalarAsync("""SELECT COUNT(*) FROM "_params" """, null, CancellationToken.None), CancellationToken.None);
        Assert.Equal(200L, (long?)count);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, true);
        }
        catch (IOException)
        {
        }
    }
}
