namespace Basalt.Tests.Fixtures;

/// <summary>
/// Two Basalt nodes (or as many as a test asks for) — in-process servers on their own loopback ports, each with its own
/// data folder — on one fresh PostgreSQL database: what several nodes behind a load balancer look like to the tests,
/// without the balancer (<see cref="NginxClusterFixture"/> has one).
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private readonly List<NodeFixture> _nodes = [];
    private readonly int _count;

    public ClusterFixture()
        : this(2)
    {
    }

    /// <summary>A cluster of <paramref name="count"/> nodes, for a test that starts and stops its own.</summary>
    internal ClusterFixture(int count)
    {
        _count = count;
    }

    public BasaltServerFixture A => _nodes[0];

    public BasaltServerFixture B => _nodes[1];

    public IReadOnlyList<BasaltServerFixture> Nodes => _nodes;

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        ConnectionString = await PostgresCluster.CreateDatabaseAsync();
        for (var i = 0; i < _count; i++)
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
        foreach (var node in _nodes.Where(n => !n.Stopped))
        {
            await node.DisposeAsync();
        }
    }

    /// <summary>Stops node <paramref name="index"/> (a graceful stop: its connections close, so PostgreSQL releases its locks).</summary>
    public async Task StopNodeAsync(int index)
    {
        var node = _nodes[index];
        if (!node.Stopped)
        {
            node.Stopped = true;
            await node.DisposeAsync();
        }
    }

    /// <summary>One node: a Basalt server on the cluster's database.</summary>
    private sealed class NodeFixture(string connectionString) : BasaltServerFixture
    {
        public bool Stopped { get; set; }

        protected override StorageKind Kind => StorageKind.Postgres;

        protected override Task<string> CreateDatabaseAsync() => Task.FromResult(connectionString);
    }
}
