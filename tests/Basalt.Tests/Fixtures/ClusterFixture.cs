namespace Basalt.Tests.Fixtures;

/// <summary>
/// Two Basalt nodes (in-process servers on their own loopback ports, each with its own data folder) on one fresh
/// PostgreSQL database: what several nodes behind a load balancer look like to the tests, without the balancer.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private readonly List<NodeFixture> _nodes = [];

    public BasaltServerFixture A => _nodes[0];

    public BasaltServerFixture B => _nodes[1];

    public IReadOnlyList<BasaltServerFixture> Nodes => _nodes;

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        ConnectionString = await PostgresCluster.CreateDatabaseAsync();
        for (var i = 0; i < 2; i++)
        {
            var node = new NodeFixture(ConnectionString);
            await node.InitializeAsync();
            _nodes.Add(node);
        }

        foreach (var node in _nodes)
        {
            await node.RenewSuperuserAsync();
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }

    /// <summary>One node: a Basalt server on the cluster's database.</summary>
    private sealed class NodeFixture(string connectionString) : BasaltServerFixture
    {
        protected override StorageKind Kind => StorageKind.Postgres;

        protected override Task<string> CreateDatabaseAsync() => Task.FromResult(connectionString);
    }
}
