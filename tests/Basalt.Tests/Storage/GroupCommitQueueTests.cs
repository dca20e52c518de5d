using System.Collections.Concurrent;
using System.Data.Common;
using Basalt.Common;
using Basalt.Storage.Sqlite;
using Basalt.Tests.Fixtures;
using Microsoft.Data.Sqlite;

namespace Basalt.Tests.Storage;

/// <summary>The single SQLite writer's group commit, on a real database file.</summary>
public sealed class GroupCommitQueueTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "basalt-gc-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly SqliteConnection _writer;
    private readonly ConcurrentQueue<int> _groups = new();

    public GroupCommitQueueTests()
    {
        Directory.CreateDirectory(_dir);
        _writer = new SqliteConnection($"Data Source={Path.Combine(_dir, "data.db")};Pooling=False");
        _writer.Open();
        Execute(_writer, "PRAGMA journal_mode=WAL; CREATE TABLE t (seq INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT NOT NULL)");
    }

    [Fact]
    public async Task Units_run_and_commit_in_arrival_order()
    {
        await using var queue = NewQueue(Patient);
        var (gate, release) = await GateAsync(queue);
        var units = Enumerable.Range(0, 20).Select(i => queue.EnqueueAsync(Insert("u" + i), CancellationToken.None)).ToList();
        release();
        await gate;
        await Task.WhenAll(units);

        Assert.Equal(Enumerable.Range(0, 20).Select(i => "u" + i), Values());
    }

    [Fact]
    public async Task A_failing_unit_rolls_back_only_itself_and_gets_its_own_exception()
    {
        await using var queue = NewQueue(Patient);
        var (gate, release) = await GateAsync(queue);
        var a = queue.EnqueueAsync(Insert("a"), CancellationToken.None);
        var b = queue.EnqueueAsync<int>(
            async (c, tx, ct) =>
            {
                await Insert("b")(c, tx, ct);
                throw new InvalidOperationException("unit b failed");
            },
            CancellationToken.None);
        var c = queue.EnqueueAsync(Insert("c"), CancellationToken.None);
        release();
        await gate;

        await a;
        await c;
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => b);
        Assert.Equal("unit b failed", error.Message);
        Assert.Equal(["a", "c"], Values());
        Assert.Equal(4, _groups.Sum());
        Assert.Single(_groups);
    }

    [Fact]
    public async Task A_failing_sql_statement_rolls_back_only_its_unit()
    {
        await using var queue = NewQueue(Patient);
        var (gate, release) = await GateAsync(queue);
        var a = queue.EnqueueAsync(Insert("a"), CancellationToken.None);
        var bad = queue.EnqueueAsync<int>(
            async (c, tx, ct) =>
            {
                await Insert("b")(c, tx, ct);
                return await ExecuteAsync(c, tx, "INSERT INTO missing_table VALUES (1)", ct);
            },
            CancellationToken.None);
        var c = queue.EnqueueAsync(Insert("c"), CancellationToken.None);
        release();
        await gate;

        await Task.WhenAll(a, c);
        await Assert.ThrowsAsync<SqliteException>(() => bad);
        Assert.Equal(["a", "c"], Values());
    }

    [Fact]
    public async Task A_unit_cancelled_while_waiting_never_runs()
    {
        await using var queue = NewQueue(Patient);
        var (gate, release) = await GateAsync(queue);
        using var cts = new CancellationTokenSource();
        var cancelled = queue.EnqueueAsync(Insert("cancelled"), cts.Token);
        var kept = queue.EnqueueAsync(Insert("kept"), CancellationToken.None);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        release();
        await gate;
        await kept;

        Assert.Equal(["kept"], Values());
        Assert.Equal(2, _groups.Sum());
    }

    [Fact]
    public async Task A_group_holds_at_most_MaxGroupSize_units()
    {
        await using var queue = NewQueue(new GroupCommitOptions { MaxGroupSize = 4, MaxGroupWait = TimeSpan.FromMinutes(1) });
        var (gate, release) = await GateAsync(queue);
        var units = Enumerable.Range(0, 10).Select(i => queue.EnqueueAsync(Insert("u" + i), CancellationToken.None)).ToList();
        release();
        await gate;
        await Task.WhenAll(units);

        // The gate's group takes the units that arrived while it ran, up to the bound: 4 + 4 + 3.
        Assert.Equal([4, 4, 3], _groups.ToArray());
        Assert.Equal(10, Values().Count);
    }

    [Fact]
    public async Task A_running_group_stops_taking_late_units_after_MaxGroupWait()
    {
        await using (var queue = NewQueue(new GroupCommitOptions { MaxGroupWait = TimeSpan.Zero }))
        {
            var (gate, release) = await GateAsync(queue);
            var units = Enumerable.Range(0, 10).Select(i => queue.EnqueueAsync(Insert("u" + i), CancellationToken.None)).ToList();
            release();
            await gate;
            await Task.WhenAll(units);
        }

        // With no time to grow, the gate commits alone and the ten waiting units form the next group.
        Assert.Equal([1, 10], _groups.ToArray());
    }

    [Fact]
    public async Task Units_arriving_while_a_group_runs_join_it_within_MaxGroupWait()
    {
        await using var queue = NewQueue(new GroupCommitOptions { MaxGroupWait = TimeSpan.FromMinutes(1) });
        var (gate, release) = await GateAsync(queue);
        var units = Enumerable.Range(0, 10).Select(i => queue.EnqueueAsync(Insert("u" + i), CancellationToken.None)).ToList();
        release();
        await gate;
        await Task.WhenAll(units);

        Assert.Equal([11], _groups.ToArray());
    }

    [Fact]
    public async Task A_lone_write_on_an_idle_queue_commits_without_waiting_for_the_group_bound()
    {
        await using var queue = NewQueue(new GroupCommitOptions { MaxGroupWait = TimeSpan.FromSeconds(30) });
        await queue.EnqueueAsync(Insert("warm-up"), CancellationToken.None);
        var started = TimeProvider.System.GetTimestamp();
        await queue.EnqueueAsync(Insert("lone"), CancellationToken.None);
        var elapsed = TimeProvider.System.GetElapsedTime(started);

        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"a lone write took {elapsed}");
        Assert.Equal([1, 1], _groups.ToArray());
    }

    [Fact]
    public async Task An_acknowledged_unit_is_committed_and_visible_to_another_connection()
    {
        await using var queue = NewQueue(Patient);
        await queue.EnqueueAsync(Insert("durable"), CancellationToken.None);

        using var other = new SqliteConnection(_writer.ConnectionString);
        other.Open();
        using var command = other.CreateCommand();
        command.CommandText = "SELECT v FROM t";
        Assert.Equal("durable", command.ExecuteScalar());
    }

    [Fact]
    public async Task A_unit_that_queues_another_write_fails_instead_of_deadlocking()
    {
        await using var queue = NewQueue(Patient);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => queue.EnqueueAsync(
            (_, _, ct) => queue.EnqueueAsync(Insert("nested"), ct),
            CancellationToken.None));

        Assert.Contains("inside another WriteAsync", error.Message, StringComparison.Ordinal);
        await queue.EnqueueAsync(Insert("after"), CancellationToken.None);
        Assert.Equal(["after"], Values());
    }

    [Fact]
    public async Task A_commit_slower_than_the_threshold_is_logged_as_a_warning_with_the_group_size()
    {
        // A zero threshold makes every commit "slow", so the test needs no slow disk and no clock.
        var logs = new CapturedLogs();
        await using (var queue = new GroupCommitQueue(_writer, Patient with { SlowCommit = TimeSpan.Zero }, logs.CreateLogger<GroupCommitQueue>()))
        {
            await queue.EnqueueAsync(Insert("slow"), CancellationToken.None);
        }

        var slow = Assert.Single(logs.WithId(BasaltEventIds.GroupCommitSlow));
        Assert.Equal(LogLevel.Warning, slow.Level);
        Assert.Equal(1, slow["Writes"]);
        Assert.Equal(0L, slow["ThresholdMilliseconds"]);
    }

    [Fact]
    public async Task A_commit_within_the_threshold_logs_nothing()
    {
        var logs = new CapturedLogs();
        await using (var queue = new GroupCommitQueue(_writer, Patient with { SlowCommit = TimeSpan.FromHours(1) }, logs.CreateLogger<GroupCommitQueue>()))
        {
            await queue.EnqueueAsync(Insert("quick"), CancellationToken.None);
        }

        Assert.Empty(logs.Entries);
    }

    [Fact]
    public async Task Dispose_finishes_queued_units_and_refuses_new_ones()
    {
        var queue = NewQueue(new GroupCommitOptions());
        var units = Enumerable.Range(0, 5).Select(i => queue.EnqueueAsync(Insert("u" + i), CancellationToken.None)).ToList();
        await queue.DisposeAsync();

        await Task.WhenAll(units);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => queue.EnqueueAsync(Insert("late"), CancellationToken.None));
        Assert.Equal(5, Values().Count);
    }

    public void Dispose()
    {
        _writer.Dispose();
        try
        {
            Directory.Delete(_dir, true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Groups that may grow for a minute, so which units share a group does not depend on timing.</summary>
    private static readonly GroupCommitOptions Patient = new() { MaxGroupWait = TimeSpan.FromMinutes(1) };

    private GroupCommitQueue NewQueue(GroupCommitOptions options) =>
        new(_writer, options) { GroupCompleted = _groups.Enqueue };

    /// <summary>Occupies the writer until the returned action is called, so the next units queue up behind it.</summary>
    private static async Task<(Task<int> Gate, Action Release)> GateAsync(GroupCommitQueue queue)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var task = queue.EnqueueAsync(
            async (_, _, _) =>
            {
                entered.TrySetResult();
                await gate.Task;
                return 0;
            },
            CancellationToken.None);

        // Wait until the writer is inside the gate, so later units are certain to queue behind it.
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return (task, () => gate.TrySetResult());
    }

    private static Func<DbConnection, DbTransaction, CancellationToken, Task<int>> Insert(string value) =>
        (c, tx, ct) => ExecuteAsync(c, tx, $"INSERT INTO t (v) VALUES ('{value}')", ct);

    private static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync(ct);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private List<string> Values()
    {
        using var reader = new SqliteConnection(_writer.ConnectionString);
        reader.Open();
        using var command = reader.CreateCommand();
        command.CommandText = "SELECT v FROM t ORDER BY seq";
        using var r = command.ExecuteReader();
        var values = new List<string>();
        while (r.Read())
        {
            values.Add(r.GetString(0));
        }

        return values;
    }
}
