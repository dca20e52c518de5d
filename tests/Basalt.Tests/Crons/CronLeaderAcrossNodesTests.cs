using Basalt.Crons;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Crons;

/// <summary>Of two nodes on one PostgreSQL, exactly one runs the scheduled jobs: the holder of the leader lock.</summary>
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
}
