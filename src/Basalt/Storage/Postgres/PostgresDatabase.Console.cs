using System.Data;
using System.Globalization;
using Npgsql;

namespace Basalt.Storage.Postgres;

/// <summary>
/// The SQL console's statements: checked by <see cref="PostgresConsoleGuard"/>, then run in a READ ONLY transaction
/// with its own <c>statement_timeout</c> and without superuser rights, always rolled back.
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
                PostgresConsoleGuard.EnsureAllowed(sql);

                // Its own pool, reset on every return: the text may leave session state the other pools never reset.
                await using var connection = await OpenAsync(_consoleSource, ReadPool, ct);
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
                    await DiscardAsync(connection);
                }
            },
            static e => e is PostgresException { SqlState: PostgresErrorCodes.QueryCanceled },
            cancellationToken);

    private static string ReadOnlySetup(TimeSpan timeout) =>
        "SET TRANSACTION READ ONLY; SET LOCAL statement_timeout = " +
        Math.Max(1, (long)timeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "; " + PostgresConsoleGuard.DropSuperuser;

    /// <summary>
    /// Drops at once what the text may have left on the session and a rollback does not undo (a session advisory lock
    /// held until the connection's next use would block whoever waits for it). Basalt prepares nothing on this pool.
    /// </summary>
    private static async Task DiscardAsync(NpgsqlConnection connection)
    {
        try
        {
            await using var discard = new NpgsqlCommand("DISCARD ALL", connection);
            await discard.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is InvalidOperationException or NpgsqlException)
        {
            // A broken connection is not returned to the pool; the pool's own reset covers the rest.
        }
    }

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
