using System.Diagnostics;
using Basalt.Errors;
using Microsoft.Extensions.Logging;

namespace Basalt.Storage;

/// <summary>
/// The superuser's SQL console (<c>POST /api/sql</c>): checks the statement's size and row cap, runs it read-only
/// through <see cref="IDatabase.QueryReadOnlyAsync"/> with a deadline, and turns the database's refusal into a 400
/// carrying the database's message. Two statements run at a time at most, so the console cannot crowd out the API.
/// </summary>
public sealed class SqlConsole(IDatabase database, ILogger<SqlConsole> logger) : IDisposable
{
    public const int MaxQueryLength = 100_000;
    public const int DefaultMaxRows = 1000;
    public const int MaxRows = 10_000;
    public const string Failed = "Failed to run the query.";

    private readonly SemaphoreSlim _turns = new(2, 2);

    /// <summary>Runs <paramref name="query"/>; <paramref name="auditId"/> (the superuser's id) goes to the log line.</summary>
    public async Task<(SqlConsoleResult Result, double DurationMs)> RunAsync(
        string? query, int? maxRows, TimeSpan timeout, string auditId, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(query))
        {
            errors.Add("query", "validation_required", "Cannot be blank.");
        }
        else if (query.Length > MaxQueryLength)
        {
            errors.Add("query", "validation_length_out_of_range", $"The length must be at most {MaxQueryLength} characters.");
        }

        if (maxRows is < 1 or > MaxRows)
        {
            errors.Add("maxRows", "validation_out_of_range", $"Must be between 1 and {MaxRows}.");
        }

        errors.ThrowIfAny(Failed);
        await _turns.WaitAsync(cancellationToken);
        var started = Stopwatch.GetTimestamp();
        try
        {
            SqlConsoleStatement.EnsureReads(query!);
            var result = await database.QueryReadOnlyAsync(query!, maxRows ?? DefaultMaxRows, timeout, cancellationToken);
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            Log.SqlConsoleRan(logger, auditId, result.Rows.Count, (long)ms);
            return (result, ms);
        }
        catch (SqlConsoleException e)
        {
            Log.SqlConsoleRefused(logger, auditId, e.Message);
            throw ApiError.Field(Failed, "query", "sql_error", e.Message);
        }
        catch (ReadTimeoutException)
        {
            Log.SqlConsoleRefused(logger, auditId, "timeout");
            throw ApiError.Field(Failed, "query", "sql_timeout", $"The query ran longer than {timeout.TotalSeconds:0.###} s and was stopped.");
        }
        finally
        {
            _turns.Release();
        }
    }

    public void Dispose() => _turns.Dispose();
}
