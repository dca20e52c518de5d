using Basalt.Crons;
using Basalt.Storage;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Crons;

/// <summary>
/// Of several nodes on one PostgreSQL, exactly one runs the scheduled jobs: the holder of the leader lock. Each tick
/// runs each due job once in all, and when the leader stops another node takes the lock and runs them.
/// </summary>
public sealed class CronLeaderAcrossNodesTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact(Timeout = 120_000)]
    public async Task Exactly_one_of_two_nodes_runs_each_scheduled_occurrence()
    {
        var gates = cluster.Nodes.Select(n => n.Services.GetRequiredService<ICronNodeGate>()).ToList();
        var occurrence = DateTimeOffset.UtcNow;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        int running;
        do
        {
            var answers = await Task.WhenAll(gates.Select(g => g.ShouldRunAsync("__pbLogsCleanup__", occurrence, CancellationToken.None).AsTask()));
            running = answers.Count(a => a);
            Assert.True(running <= 1, "both nodes would run the job");
            if (running == 1)
            {
                break;
            }

            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Equal(1, running);
    }

    [Fact(Timeout = 120_000)]
    public async Task Each_tick_runs_each_due_job_once_over_both_nodes()
    {
        await LeaderAsync(cluster.Nodes);

        // Three hours of ticks: at each full hour the hourly jobs are due, at :30 none is (except 03:30, the files sweep).
        var start = new DateTimeOffset(2026, 1, 1, 2, 0, 0, TimeSpan.Zero);
        for (var minute = start; minute < start.AddHours(3); minute = minute.AddMinutes(30))
        {
            var (due, perNode) = await TickEverywhereAsync(cluster.Nodes, minute);
            Assert.Equal(due, perNode.Sum());
            Assert.True(perNode.Count(n => n > 0) <= 1, $"{minute:HH:mm}: several nodes ran jobs: {string.Join(", ", perNode)}");
        }
    }

    [Fact(Timeout = 180_000)]
    public async Task When_the_leader_stops_another_of_three_nodes_takes_the_lock_and_runs_the_jobs()
    {
        var three = new ClusterFixture(3);
        try
        {
            await three.InitializeAsync();
            var leader = await LeaderAsync(three.Nodes);
            await three.StopNodeAsync(leader);
            var others = three.Nodes.Where((_, i) => i != leader).ToList();
            var next = await LeaderAsync(others);

            var (due, perNode) = await TickEverywhereAsync(others, new DateTimeOffset(2026, 1, 1, 5, 0, 0, TimeSpan.Zero));
            Assert.True(due > 0);
            Assert.Equal(due, perNode[next]);
            Assert.Equal(due, perNode.Sum());
        }
        finally
        {
            await three.DisposeAsync();
        }
    }

    /// <summary>The index in <paramref name="nodes"/> of the leader, polled until exactly one leads (never two at once).</summary>
    private static async Task<int> LeaderAsync(IReadOnlyList<BasaltServerFixture> nodes)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var leaders = Enumerable.Range(0, nodes.Count).Where(i => nodes[i].Services.GetRequiredService<IDatabase>().Cluster.IsLeader).ToList();
            Assert.True(leaders.Count <= 1, "two nodes lead");
            if (leaders.Count == 1)
            {
                return leaders[0];
            }

            Assert.True(DateTime.UtcNow < deadline, "no node took the leader lock within 60 s");
            await Task.Delay(50);
        }
    }

    /// <summary>Ticks every node at <paramref name="minute"/> at once and waits for the runs: how many jobs are due, and how many each node ran.</summary>
    private static async Task<(int Due, int[] PerNode)> TickEverywhereAsync(IReadOnlyList<BasaltServerFixture> nodes, DateTimeOffset minute)
    {
        var schedulers = nodes.Select(n => n.Services.GetRequiredService<CronScheduler>()).ToList();
        var jobs = await schedulers[0].ListAsync(CancellationToken.None);
        var due = jobs.Count(j => schedulers[0].IsDue(j, minute));
        var runs = await Task.WhenAll(schedulers.Select(s => s.TickAsync(minute, CancellationToken.None)));
        await Task.WhenAll(runs.SelectMany(r => r));
        return (due, [.. runs.Select(r => r.Count)]);
    }
}
