using Basalt.Storage.Postgres;

namespace Basalt.Tests.Storage;

/// <summary>
/// A client's share of the PostgreSQL read pool (<see cref="PostgresDatabase.ReadsPerClient"/>) leaves connections to
/// everyone else whatever pool size the connection string sets, and so do all clients' reads together
/// (<see cref="PostgresDatabase.ReadsForClients"/>), for superusers and Basalt's own reads.
/// </summary>
public sealed class PostgresReadsPerClientTests
{
    [Theory]
    [InlineData(100, 74, 9, 56)]
    [InlineData(24, 17, 2, 13)]
    [InlineData(10, 7, 2, 6)]
    [InlineData(4, 2, 1, 1)]
    [InlineData(2, 1, 1, 1)]
    public async Task Clients_never_get_the_whole_read_pool(int budget, int readConnections, int perClient, int allClients)
    {
        // Nothing connects until the database is used: the pools are only sized here.
        await using var database = new PostgresDatabase($"Host=127.0.0.1;Port=1;Username=none;Maximum Pool Size={budget}");
        Assert.Equal(readConnections, database.ReadConnections);
        Assert.Equal(perClient, database.ReadsPerClient);
        Assert.True(database.ReadsPerClient < database.ReadConnections || database.ReadConnections == 1);
        Assert.Equal(allClients, database.ReadsForClients);
        Assert.True(database.ReadsForClients < database.ReadConnections || database.ReadConnections == 1);
    }
}
