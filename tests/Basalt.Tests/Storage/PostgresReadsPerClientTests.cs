using Basalt.Storage.Postgres;

namespace Basalt.Tests.Storage;

/// <summary>
/// A client's share of the PostgreSQL read pool (<see cref="PostgresDatabase.ReadsPerClient"/>) leaves connections to
/// everyone else whatever pool size the connection string sets.
/// </summary>
public sealed class PostgresReadsPerClientTests
{
    [Theory]
    [InlineData(100, 74, 9)]
    [InlineData(10, 7, 2)]
    [InlineData(4, 2, 1)]
    [InlineData(2, 1, 1)]
    public async Task A_client_never_gets_the_whole_read_pool(int budget, int readConnections, int perClient)
    {
        // Nothing connects until the database is used: the pools are only sized here.
        await using var database = new PostgresDatabase($"Host=127.0.0.1;Port=1;Username=none;Maximum Pool Size={budget}");
        Assert.Equal(readConnections, database.ReadConnections);
        Assert.Equal(perClient, database.ReadsPerClient);
        Assert.True(database.ReadsPerClient < database.ReadConnections || database.ReadConnections == 1);
    }
}
