using System.Data;
using System.Globalization;
using Npgsql;

namespace Basalt.Storage.Postgres;

/// <summary>
/// The SQL console's statements: in a READ ONLY transaction with its own <c>statement_timeout</c>, always rolled back.
/// The statement goes to the server as one batch command, which Npgsql does not split at semicolons, so PostgreSQL
/// itself refuses a text holding several statements (a COMMIT could otherwise end the read-only transaction).
/// </summary>
public sealed partial class PostgresDatabase
{
    public Task<SqlConsoleResult> QueryReadOnlyAsync(string sql, int maxRows, TimeSpan timeout, CancellationToken cancellationToken) =>
        ReadDeadline.RunAsync(
            timeout + TimeSpan.FromSeconds(1),
            async ct =>
            {
                await using var connection = await OpenAsync(_readSource, ReadPool, ct);
                await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
                try
                {
                    await using (var setup = new NpgsqlCommand(ReadOnlySetup(timeout), connection, transaction))
                    {
                        await setup.ExecuteNonQueryAsync(ct);
                    }

                    await using var batch = new NpgsqlBatch(connection, transaction) { BatchCommands = { new NpgsqlBatchCommand(sql) } };
                    await using var reader = await batch.ExecuteReaderAsync(ct);
                    return await SqlConsoleReader.ReadAsync(reader, maxRows, ct);
                }
                catch (PostgresException e) when (e.SqlState != PostgresErrorCodes.QueryCanceled)
                {
                    throw new SqlConsoleException(e.MessageText, e);
                }
                finally
                {
                    await RollBackAsync(transaction);
                }
            },
            static e => e is PostgresException { SqlState: PostgresErrorCodes.QueryCanceled },
            cancellationToken);

    private static string ReadOnlySetup(TimeSpan timeout) =>
        "SET TRANSACTION READ ONLY; SET LOCAL statement_timeout = " +
        Math.Max(1, (long)timeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);

    /// <summary>Ends the transaction whatever the statement did to it (a COMMIT of its own, an error that aborted it).</summary>
    private static async Task RollBackAsync(NpgsqlTransaction transaction)
    {
        try
        {
            await transaction.RollbackAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is InvalidOperationException or NpgsqlException)
        {
            // Already ended; a broken connection is not returned to the pool by Npgsql.
        }
    }
}
