using Basalt.Storage;
using Basalt.Storage.Postgres;
using Basalt.Tests.Fixtures;
using Npgsql;

namespace Basalt.Tests.Storage;

/// <summary>
/// Write connections have a lifetime, so the record inserts prepared on them (a new text per collection and schema
/// version) do not pile up on a pooled connection for as long as the node runs.
/// </summary>
public sealed class PostgresWriteConnectionTests
{
    [Fact]
    public async Task Write_connections_live_a_quarter_of_an_hour_unless_the_connection_string_says_otherwise()
    {
        var connectionString = await PostgresCluster.CreateDatabaseAsync();
        await using (var database = new PostgresDatabase(connectionString))
        {
            Assert.Equal((int)PostgresDatabase.WriteConnectionLifetime.TotalSeconds, await LifetimeAsync(database));
        }

        await using (var database = new PostgresDatabase(connectionString + ";Connection Lifetime=7"))
        {
            Assert.Equal(7, await LifetimeAsync(database));
        }
    }

    [Fact]
    public async Task A_write_connection_past_its_lifetime_is_replaced_with_the_statements_it_prepared()
    {
        await using var database = new PostgresDatabase(await PostgresCluster.CreateDatabaseAsync() + ";Connection Lifetime=1");
        var (first, prepared) = await PrepareAsync(database);
        Assert.True(prepared > 0);

        // Past the lifetime, the pool hands out a new connection: the old one, and what it prepared, are gone.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var (second, _) = await PrepareAsync(database);
        Assert.NotEqual(first, second);
    }

    private static Task<int> LifetimeAsync(PostgresDatabase database) =>
        database.WriteAsync(
            (connection, _, _) => Task.FromResult(new NpgsqlConnectionStringBuilder(connection.ConnectionString).ConnectionLifetime),
            CancellationToken.None);

    /// <summary>Prepares a statement on a write connection; returns the connection's server process and how many statements it holds prepared.</summary>
    private static Task<(int Process, long Prepared)> PrepareAsync(PostgresDatabase database) =>
        database.WriteAsync(
            async (connection, transaction, ct) =>
            {
                var npgsql = (NpgsqlConnection)connection;
                await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_prepared_statements", npgsql, (NpgsqlTransaction)transaction);
                await command.PrepareAsync(ct);
                var prepared = Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
                return (npgsql.ProcessID, prepared);
            },
            CancellationToken.None);
}
