using System.Net;
using Basalt.Auth;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Dashboard;

/// <summary>
/// Two nodes on one PostgreSQL and no superuser yet: each prints an install link of its own, and two installs through
/// both links at once create exactly one superuser. PostgreSQL only: SQLite has one node.
/// </summary>
public sealed class InstallAcrossNodesTests(InstallClusterFixture cluster) : IClassFixture<InstallClusterFixture>
{
    private const string Password = "first-password-1";

    [Fact(Timeout = 120_000)]
    public async Task Two_concurrent_installs_on_two_nodes_create_one_superuser()
    {
        var tokenA = cluster.A.Services.GetRequiredService<SuperuserInstall>().Issue();
        var tokenB = cluster.B.Services.GetRequiredService<SuperuserInstall>().Issue();

        var racing = await Task.WhenAll(
            cluster.A.Guest.PostJsonAsync("/api/superusers/install", new { token = tokenA, email = "first-a@example.com", password = Password, passwordConfirm = Password }),
            cluster.B.Guest.PostJsonAsync("/api/superusers/install", new { token = tokenB, email = "first-b@example.com", password = Password, passwordConfirm = Password }));

        var winner = Assert.Single(racing, r => r.Status == HttpStatusCode.OK);
        var loser = Assert.Single(racing, r => r.Status != HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Forbidden, loser.Status);
        Assert.Equal(SuperuserService.AlreadyInstalled, loser.Body!["message"]!.GetValue<string>());
        using var signedIn = cluster.A.NewClient(winner.Body!["token"]!.GetValue<string>());
        var (_, superusers) = await signedIn.GetJsonAsync("/api/collections/_superusers/records");
        Assert.Equal(1, superusers!["totalItems"]!.GetValue<int>());
    }
}

/// <summary>Two Basalt nodes on one fresh PostgreSQL database, started without any superuser (the first run).</summary>
public sealed class InstallClusterFixture : IAsyncLifetime
{
    private readonly List<Node> _nodes = [];

    public BasaltServerFixture A => _nodes[0];

    public BasaltServerFixture B => _nodes[1];

    public async Task InitializeAsync()
    {
        var database = await PostgresCluster.CreateDatabaseAsync();
        for (var i = 0; i < 2; i++)
        {
            var node = new Node(database);
            await node.InitializeAsync();
            _nodes.Add(node);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }

    private sealed class Node(string connectionString) : BasaltServerFixture
    {
        protected override StorageKind Kind => StorageKind.Postgres;

        protected override bool WithSuperuser => false;

        protected override Task<string> CreateDatabaseAsync() => Task.FromResult(connectionString);
    }
}
