using Npgsql;

namespace Basalt.Tests.Fixtures;

/// <summary>A table held in ACCESS EXCLUSIVE mode by an open transaction, so every statement on it waits.</summary>
public static class PostgresTableLock
{
    /// <summary>Takes the lock; disposing the returned connection rolls the transaction back and releases it.</summary>
    public static async Task<NpgsqlConnection> HoldAsync(string connectionString, string table)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"""BEGIN; LOCK TABLE "{table}" IN ACCESS EXCLUSIVE MODE;""", connection);
        await command.ExecuteNonQueryAsync();
        return connection;
    }
}
