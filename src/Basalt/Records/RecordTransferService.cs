using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Basalt.Errors;
using Basalt.Model;
using Basalt.Query;
using Basalt.Storage;

namespace Basalt.Records;

/// <summary>
/// Records import and export for the dashboard. An import creates every row through the same
/// <see cref="RecordService"/> code as the records API (ids kept when given, the same validation), all inside ONE write
/// unit as a batch does, so the change log, realtime and the group commit see the records only when all of them
/// commit; a single rejected row rolls everything back and the answer lists every rejected row. An export reads the
/// records page by page as the list API shows them to the caller.
/// </summary>
public sealed class RecordTransferService(RecordService records, IDatabase database)
{
    public const string ImportFailed = "Failed to import the records.";

    /// <summary>Most rejected rows an answer lists; the import is refused either way.</summary>
    public const int MaxReportedRows = 100;

    private const int ExportPage = 500;

    /// <summary>Creates every row or none; returns how many were created.</summary>
    /// <exception cref="ApiError">400 with <c>data.rows</c>: <c>[{row, message, errors}]</c> (row counts from 1).</exception>
    public async Task<int> ImportAsync(string collectionIdOrName, IReadOnlyList<JsonObject> rows, RequestInfo request, CancellationToken cancellationToken)
    {
        var collection = records.Resolve(collectionIdOrName);
        if (collection.IsView)
        {
            throw ApiError.BadRequest("View collections cannot be imported into.");
        }

        var files = new BatchFiles(records.Files);
        try
        {
            await database.WriteAsync(
                async (connection, transaction, ct) =>
                {
                    var bound = records.InUnit(new UnitDatabase(database, connection, transaction), files);
                    var rejected = new JsonArray();
                    for (var i = 0; i < rows.Count; i++)
                    {
                        try
                        {
                            await bound.CreateAsync(collection.Id, rows[i], null, request, ct);
                        }
                        catch (ApiError e) when (rejected.Count < MaxReportedRows)
                        {
                            rejected.Add((JsonNode?)new JsonObject { ["row"] = i + 1, ["message"] = e.Message, ["errors"] = e.Data.DeepClone() });
                        }
                        catch (ApiError)
                        {
                            // Past the report's size: the import is refused anyway, the remaining rows are not checked.
                            break;
                        }
                        catch (ReadTimeoutException)
                        {
                            rejected.Add((JsonNode?)new JsonObject { ["row"] = i + 1, ["message"] = ApiError.TookTooLong, ["errors"] = new JsonObject() });
                            break;
                        }
                    }

                    if (rejected.Count > 0)
                    {
                        throw ApiError.BadRequest(ImportFailed, new JsonObject { ["rows"] = rejected });
                    }

                    return true;
                },
                cancellationToken);
        }
        catch
        {
            await files.RolledBackAsync();
            throw;
        }

        await files.CommittedAsync();
        return rows.Count;
    }

    /// <summary>The records of the collection that pass <paramref name="filter"/>, by id, a page at a time.</summary>
    public async IAsyncEnumerable<IReadOnlyList<Record>> ExportAsync(
        string collectionIdOrName, string? filter, RequestInfo request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var page = 1; ; page++)
        {
            var query = new ListQuery { Page = page, PerPage = ExportPage, Sort = "id", Filter = filter, SkipTotal = true };
            var items = (await records.ListAsync(collectionIdOrName, query, request, cancellationToken)).Items;
            if (items.Count > 0)
            {
                yield return items;
            }

            if (items.Count < ExportPage)
            {
                yield break;
            }
        }
    }
}
