using Basalt.Errors;
using Basalt.Model;
using Basalt.Query;
using Basalt.Storage;

namespace Basalt.Records;

/// <summary>
/// Runs a batch (§10): every operation in order inside ONE write unit (one savepoint of a group commit on SQLite, one
/// transaction on PostgreSQL), each through the same <see cref="RecordService"/> code as the records API, with its own
/// rules evaluated against what the operations before it wrote. The first failure, or the timeout, rolls the whole
/// unit back; the writes reach the change log (and realtime) only when the unit commits.
/// </summary>
public sealed class RecordBatchService(RecordService records, IDatabase database, TimeProvider time)
{
    /// <summary>For tests: runs inside the unit before each operation, with its index and the batch's token.</summary>
    internal Func<int, CancellationToken, Task>? BeforeOperation { get; set; }

    /// <exception cref="BatchFailedException">An operation failed, or the batch ran past <paramref name="timeout"/>; nothing was applied.</exception>
    public async Task<IReadOnlyList<BatchResult>> RunAsync(IReadOnlyList<BatchOperation> operations, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var files = new BatchFiles(records.Files);
        IReadOnlyList<BatchResult> results;
        try
        {
            results = await database.WriteAsync(
            async (connection, transaction, ct) =>
            {
                // The clock starts once the unit holds the writer, as PocketBase's starts inside its transaction.
                using var timer = new CancellationTokenSource(timeout, time);
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct, timer.Token);
                var bound = records.InUnit(new UnitDatabase(database, connection, transaction), files);
                var done = new List<BatchResult>(operations.Count);
                for (var i = 0; i < operations.Count; i++)
                {
                    try
                    {
                        deadline.Token.ThrowIfCancellationRequested();
                        if (BeforeOperation is { } before)
                        {
                            await before(i, deadline.Token);
                        }

                        done.Add(await RunAsync(bound, operations[i], deadline.Token));
                    }
                    catch (OperationCanceledException e) when (timer.IsCancellationRequested && !ct.IsCancellationRequested)
                    {
                        throw new BatchFailedException("The batch ran past its timeout.", e);
                    }
                    catch (ApiError e)
                    {
                        throw new BatchFailedException(i, e);
                    }
                    catch (ReadTimeoutException)
                    {
                        throw new BatchFailedException(i, ApiError.BadRequest(ApiError.TookTooLong));
                    }
                }

                return done;
            },
            cancellationToken);
        }
        catch
        {
            await files.RolledBackAsync();
            throw;
        }

        await files.CommittedAsync();
        return results;
    }

    private static async Task<BatchResult> RunAsync(RecordService bound, BatchOperation operation, CancellationToken cancellationToken)
    {
        if (operation.Refusal is { } refusal)
        {
            throw refusal;
        }

        var request = operation.Request;
        switch (operation.Action)
        {
            case BatchAction.Create:
                return new(200, await CreateAsync(bound, operation, request, cancellationToken), request);
            case BatchAction.Update:
                return new(200, await UpdateAsync(bound, operation, operation.Id!, request, cancellationToken), request);
            case BatchAction.Delete:
                BatchUploads.EnsureNone(operation.Uploads);
                await bound.DeleteAsync(operation.Collection, operation.Id!, request, cancellationToken);
                return new(204, null, request);
            default:
                // An upsert updates the record its body names when that record exists (whatever the rules say, as in
                // PocketBase: the update's own rule then decides), and creates otherwise; @request.method follows.
                var id = UpsertId(operation);
                if (id.Length > 0 && await bound.ExistsAsync(operation.Collection, id, cancellationToken))
                {
                    request = request with { Method = "PATCH" };
                    return new(200, await UpdateAsync(bound, operation, id, request, cancellationToken), request);
                }

                request = request with { Method = "POST" };
                return new(200, await CreateAsync(bound, operation, request, cancellationToken), request);
        }
    }

    // The keys of the files are checked once the write has passed its rules, so a caller the rules refuse learns
    // nothing about the collection's fields; a refused key still fails the batch, which rolls the write back.
    private static async Task<Record> CreateAsync(RecordService bound, BatchOperation operation, RequestInfo request, CancellationToken cancellationToken)
    {
        var record = await bound.CreateAsync(operation.Collection, operation.Body, operation.Uploads, operation.Expand, request, cancellationToken);
        BatchUploads.EnsureFileFields(record.Collection, operation.Uploads, RecordService.CreateFailed);
        return record;
    }

    private static async Task<Record> UpdateAsync(RecordService bound, BatchOperation operation, string id, RequestInfo request, CancellationToken cancellationToken)
    {
        var record = await bound.UpdateAsync(operation.Collection, id, operation.Body, operation.Uploads, operation.Expand, request, cancellationToken);
        BatchUploads.EnsureFileFields(record.Collection, operation.Uploads, RecordService.UpdateFailed);
        return record;
    }

    /// <summary>The body's <c>id</c> as text, as PocketBase casts it (a number becomes its digits).</summary>
    private static string UpsertId(BatchOperation operation) =>
        operation.Body["id"] is System.Text.Json.Nodes.JsonValue value
            ? value.TryGetValue<string>(out var s) ? s : value.ToJsonString().Trim('"')
            : "";
}
