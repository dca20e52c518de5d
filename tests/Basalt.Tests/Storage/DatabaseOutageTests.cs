using System.Net;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Storage;

/// <summary>
/// A node whose PostgreSQL goes away answers 503 on <c>GET /api/health</c> (so a load balancer skips it) and, once the
/// database is back on the same address, 200 again and serves writes, without a restart; nothing acknowledged before
/// the outage is lost.
/// </summary>
public sealed class DatabaseOutageTests : IAsyncLifetime
{
    private PrivatePostgres? _postgres;
    private OwnDatabaseFixture? _node;

    public async Task InitializeAsync()
    {
        _postgres = await PrivatePostgres.StartAsync();
        _node = new OwnDatabaseFixture(_postgres.ConnectionString);
        await _node.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }

    [Fact(Timeout = 180_000)]
    public async Task Health_is_503_while_postgres_is_down_and_200_again_when_it_returns_without_a_restart()
    {
        var node = _node!;
        var postgres = _postgres!;
        var (status, body) = await node.Superuser.PostJsonAsync("/api/collections", new { name = "outage", type = "base", listRule = "", createRule = "", fields = new[] { new { name = "title", type = "text" } } });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        var (created, record) = await node.Superuser.PostJsonAsync("/api/collections/outage/records", new { title = "before" });
        Assert.Equal(HttpStatusCode.OK, created);
        Assert.Equal(HttpStatusCode.OK, (await node.Guest.GetJsonAsync("/api/health")).Status);

        await postgres.StopAsync();
        await EventuallyAsync(async () => (await node.Guest.GetJsonAsync("/api/health")).Status == HttpStatusCode.ServiceUnavailable);

        await postgres.StartAgainAsync();
        await EventuallyAsync(async () => (await node.Guest.GetJsonAsync("/api/health")).Status == HttpStatusCode.OK);
        await EventuallyAsync(async () => (await node.Superuser.PostJsonAsync("/api/collections/outage/records", new { title = "after" })).Status == HttpStatusCode.OK);
        var (found, _) = await node.Superuser.GetJsonAsync("/api/collections/outage/records/" + record!["id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, found);
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // the node may drop a connection while its database is away
            }

            Assert.True(DateTime.UtcNow < deadline, "not reached within 60 s");
            await Task.Delay(100);
        }
    }

    /// <summary>A node on a database the test owns (and stops).</summary>
    private sealed class OwnDatabaseFixture(string connectionString) : BasaltServerFixture
    {
        protected override StorageKind Kind => StorageKind.Postgres;

        protected override Task<string> CreateDatabaseAsync() => Task.FromResult(connectionString);
    }
}
