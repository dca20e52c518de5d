using System.Text.Json.Nodes;
using Basalt.Collections;
using Basalt.Model;
using Basalt.Query;
using Basalt.Storage;
using Basalt.Storage.Schema;
using Basalt.Storage.Tables;

namespace Basalt.Logs;

/// <summary>
/// Reads and writes <c>_logs</c>. The table is described as a virtual collection, so the list and stats filters are
/// compiled by the same filter compiler as records (fields <c>id, created, level, message, data, data.*</c>).
/// </summary>
public sealed class LogStore(LogsDatabase logs, RecordQueryCompiler compiler)
{
    public const string Table = "_logs";

    private static readonly Collection LogsTable = new()
    {
        Id = Table,
        Name = Table,
        Type = CollectionType.Base,
        System = true,
        Fields =
        [
            CollectionScaffolds.IdField(),
            FieldOptions.NewField(FieldType.Autodate, "created", new() { ["onCreate"] = true }),
            FieldOptions.NewField(FieldType.Number, "level"),
            FieldOptions.NewField(FieldType.Text, "message"),
            FieldOptions.NewField(FieldType.Json, "data"),
        ],
        Indexes =
        [
            new IndexDefinition("idx_logs_created", false, Table, [new("created", false, false)], null).ToPocketBaseString(Table),
            new IndexDefinition("idx_logs_level", false, Table, [new("level", false, false)], null).ToPocketBaseString(Table),
        ],
    };

    private readonly RecordStore _rows = new(logs.Database, logsChanges: false);

    private IDatabase Database => logs.Database;

    /// <summary>Creates <c>_logs</c> when it is missing.</summary>
    public async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        // The migrator's DDL gives the columns the types the filter compiler expects on each database.
        var migrator = new SchemaMigrator(Database, keepsRowCounts: false);
        if (!await Database.ReadAsync((c, ct) => migrator.TableExistsAsync(c, Table, ct), cancellationToken))
        {
            await Database.WriteAsync(
                async (c, tx, ct) =>
                {
                    await migrator.CreateAsync(c, tx, LogsTable, ct);
                    return 0;
                },
                cancellationToken);
        }
    }

    /// <summary>Writes <paramref name="entries"/> in one transaction, through one prepared statement.</summary>
    public Task InsertAsync(IReadOnlyList<LogEntry> entries, CancellationToken cancellationToken)
    {
        var rows = new object?[entries.Count][];
        for (var i = 0; i < rows.Length; i++)
        {
            var entry = entries[i];

            // In the order of LogsTable's fields: id, created, level, message, data.
            rows[i] = [entry.Id, entry.Created, (double)entry.Level, entry.Message, entry.Data];
        }

        return Database.WriteAsync((c, tx, ct) => _rows.InsertValuesAsync(LogsTable, rows, c, tx, ct), cancellationToken);
    }

    /// <summary>A page of logs, newest first unless sorted; the filter and sort are the caller's (a superuser's).</summary>
    public async Task<LogPage> ListAsync(ListQuery query, RequestInfo request, CancellationToken cancellationToken)
    {
        // Compiled once: the page and the count read the same condition.
        var context = Context(request);
        var where = compiler.Condition(Database.Dialect, context, query.Filter);
        var order = compiler.Order(Database.Dialect, context, query.Sort);
        if (order.IsEmpty)
        {
            order.ThenBy("created", descending: true);
        }

        order.ThenBy("id");
        var (rows, total) = await Database.ReadAsync(
            async (c, ct) => (
                await _rows.ListAsync(LogsTable, where, order, query.PerPage, query.Offset, c, ct),
                query.SkipTotal ? -1 : await _rows.CountAsync(LogsTable, where, c, ct)),
            cancellationToken);
        var pages = total < 0 ? -1 : (total + query.PerPage - 1) / query.PerPage;
        return new LogPage(query.Page, query.PerPage, total, pages, rows.Select(ToEntry).ToList());
    }

    public async Task<LogEntry?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var row = await Database.ReadAsync((c, ct) => _rows.FindByIdAsync(LogsTable, id, c, null, ct), cancellationToken);
        return row is null ? null : ToEntry(row);
    }

    /// <summary>Counts per hour (the hour's start as <c>YYYY-MM-DD HH:00:00.000Z</c>), oldest first.</summary>
    public async Task<IReadOnlyList<LogStats>> StatsAsync(string? filter, RequestInfo request, CancellationToken cancellationToken)
    {
        var where = compiler.Condition(Database.Dialect, Context(request), filter);

        // created is stored as "YYYY-MM-DD HH:MM:SS.mmmZ" text on both databases, so its first 13 characters name the hour.
        var hours = await Database.ReadAsync((c, ct) => _rows.CountByPrefixAsync(LogsTable, "created", 13, where, c, ct), cancellationToken);
        return hours.Select(h => new LogStats(h.Prefix + ":00:00.000Z", h.Count)).ToList();
    }

    /// <summary>Deletes the logs created before <paramref name="cutoff"/> (all of them when it is null); returns how many.</summary>
    public Task<int> DeleteAsync(string? cutoff, CancellationToken cancellationToken) =>
        Database.WriteAsync((c, tx, ct) => _rows.DeleteBeforeAsync(LogsTable, "created", cutoff, c, tx, ct), cancellationToken);

    // The logs sit apart from the records (auxiliary.db on SQLite), so a filter sees no other collection: @collection.*
    // is an unknown collection on both databases instead of a join that works on one only.
    private static FilterContext Context(RequestInfo request) => new() { Collections = NoCollections.Instance, Collection = LogsTable, Request = request };

    private sealed class NoCollections : ICollectionLookup
    {
        public static readonly NoCollections Instance = new();

        public IReadOnlyList<Collection> All => [];

        public Collection? Find(string idOrName) => null;
    }

    private static LogEntry ToEntry(Record row) => new(
        row.Id,
        row.GetString("created"),
        (int)(row.Get("level") as double? ?? 0),
        row.GetString("message"),
        (row.Get("data") as JsonObject)?.ToJsonString() ?? "{}");
}
