using Basalt.Storage.Postgres;
using Basalt.Tests.Fixtures;
using Npgsql;

namespace Basalt.Tests.Storage;

/// <summary>
/// The settled head of the change log when other processes append to it (several nodes on one PostgreSQL): it never
/// passes an id that a transaction still open, on any connection, may commit later, and a rolled-back append leaves a
/// gap the head moves over once that transaction has ended.
/// </summary>
public sealed class PostgresChangeHorizonTests : IAsyncLifetime, IAsyncDisposable
{
    private string _connectionString = "";
    private PostgresDatabase? _database;

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());

    private PostgresDatabase Database => _database ?? throw new InvalidOperationException("not initialized");

    public async Task InitializeAsync()
    {
        _connectionString = await PostgresCluster.CreateDatabaseAsync();
        _database = new PostgresDatabase(_connectionString);
        await _database.InitializeAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_head_stays_below_an_open_append_of_another_connection_while_a_later_id_commits()
    {
        await using var open = await OpenAsync();
        await using var transaction = await open.BeginTransactionAsync();
        var held = await AppendAsync(open, transaction);
        await using var other = await OpenAsync();
        var later = await AppendAsync(other, null);
        Assert.True(later > held);

        Assert.True(await SettleAsync() < held);
        Assert.True(Database.Changes.Pending);

        await transaction.CommitAsync();
        Assert.Equal(later, await SettleUntilAsync(later));
    }

    [Fact]
    public async Task A_rolled_back_append_leaves_a_gap_the_head_moves_over_once_it_ended()
    {
        var before = await SettleUntilAsync(0);
        await using var open = await OpenAsync();
        await using var transaction = await open.BeginTransactionAsync();
        var rolledBack = await AppendAsync(open, transaction);
        await using var other = await OpenAsync();
        var later = await AppendAsync(other, null);

        Assert.True(await SettleAsync() < rolledBack);
        await transaction.RollbackAsync();
        Assert.Equal(later, await SettleUntilAsync(later));
        Assert.True(later > before);
    }

    private Task<long> SettleAsync() => Database.Changes.SettleAsync(CancellationToken.None);

    /// <summary>Asks until the head reaches <paramref name="target"/> (the transactions of other tests end on their own).</summary>
    private async Task<long> SettleUntilAsync(long target)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var head = await SettleAsync();
            if (head >= target || DateTime.UtcNow > deadline)
            {
                return head;
            }

            await Task.Delay(10);
        }
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Appends one entry as Basalt does: the transaction already holds an xid (its record write) when it inserts.</summary>
    private static async Task<long> AppendAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT pg_current_xact_id();
            INSERT INTO "_changes" ("created", "collectionId", "recordId", "action", "record") VALUES (0, 'c', 'r', 'create', '{}') RETURNING "id";
            """,
            connection,
            transaction);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.NextResultAsync();
        await reader.ReadAsync();
        return reader.GetInt64(0);
    }
}
