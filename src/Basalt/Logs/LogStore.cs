using System.Data.Common;
using System.Globalization;
using System.Text.Json.Nodes;
using Basalt.Collections;
using Basalt.Query;
using Basalt.Rules;
using Basalt.Storage;

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
            "CREATE INDEX idx_logs_created ON _logs (created)",
            "CREATE INDEX idx_logs_level ON _logs (level)",
        ],
    };

    private IDatabase Database => logs.Database;

    private ISqlDialect Dialect => Database.Dialect;

    /// <summary>Creates <c>_logs</c> when it is missing.</summary>
    public async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        var exists = await Database.ReadAsync(
            async (c, ct) =>
            {
                try
                {
                    await using var command = c.CreateCommand();
                    command.CommandText = $"SELECT COUNT(*) FROM {Dialect.Quote(Table)} WHERE 1 = 0";
                    await command.ExecuteScalarAsync(ct);
                    return true;
                }
                catch (DbException)
                {
                    return false;
                }
            },
            cancellationToken);
        if (!exists)
        {
            // The migrator's DDL gives the columns the types the filter compiler expects on each database.
            await Database.WriteAsync(
                async (c, tx, ct) =>
                {
                    await new SchemaMigrator(Database).CreateAsync(c, tx, LogsTable, ct);
                    return 0;
                },
                cancellationToken);
        }
    }

    /// <summary>Writes <paramref name="entries"/> in one transaction.</summary>
    public Task InsertAsync(IReadOnlyList<LogEntry> entries, CancellationToken cancellationToken) =>
        Database.WriteAsync(
            async (c, tx, ct) =>
            {
                if (entries.Count == 0)
                {
                    return 0;
                }

                // One statement for the whole batch, prepared once and run per entry with new values: building and
                // preparing a statement per row cost more than the row itself.
                var first = entries[0];
                var sql = new SqlBuilder(Dialect);
                sql.Append("INSERT INTO ").AppendIdentifier(Table).Append(" (").AppendIdentifier("id").Append(", ").AppendIdentifier("created")
                    .Append(", ").AppendIdentifier("level").Append(", ").AppendIdentifier("message").Append(", ").AppendIdentifier("data")
                    .Append(") VALUES (").AppendParameter(first.Id).Append(", ").AppendParameter(first.Created).Append(", ")
                    .AppendParameter((double)first.Level).Append(", ").AppendParameter(first.Message).Append(", ").AppendJsonParameter(first.Data).Append(')');
                await using var command = sql.CreateCommand(c, tx);
                await command.PrepareAsync(ct);
                foreach (var entry in entries)
                {
                    var values = command.Parameters;
                    values[0].Value = Dialect.ToDbParameterValue(entry.Id);
                    values[1].Value = Dialect.ToDbParameterValue(entry.Created);
                    values[2].Value = Dialect.ToDbParameterValue((double)entry.Level);
                    values[3].Value = Dialect.ToDbParameterValue(entry.Message);
                    values[4].Value = Dialect.ToDbParameterValue(entry.Data);
                    await command.ExecuteNonQueryAsync(ct);
                }

                return entries.Count;
            },
            cancellationToken);

    /// <summary>A page of logs, newest first unless sorted; the filter and sort are the caller's (a superuser's).</summary>
    public async Task<LogPage> ListAsync(ListQuery query, RequestInfo request, CancellationToken cancellationToken)
    {
        var context = Context(request);
        var select = new SqlBuilder(Dialect);
        select.Append("SELECT ").Append(Columns(context.Alias)).Append(" FROM ").AppendIdentifier(Table).Append(' ').AppendIdentifier(context.Alias);
        AppendWhere(select, context, query.Filter);
        select.Append(" ORDER BY ");
        if (RecordQueryCompiler.HasSortKeys(query.Sort))
        {
            compiler.AppendSort(select, context, query.Sort ?? "");
            select.Append(", ");
        }
        else
        {
            select.AppendColumn(context.Alias, "created").Append(" DESC, ");
        }

        select.AppendColumn(context.Alias, "id");
        Dialect.AppendPaging(select, query.PerPage, query.Offset);

        SqlBuilder? count = null;
        if (!query.SkipTotal)
        {
            count = new SqlBuilder(Dialect);
            count.Append("SELECT COUNT(*) FROM ").AppendIdentifier(Table).Append(' ').AppendIdentifier(context.Alias);
            AppendWhere(count, context, query.Filter);
        }

        var (items, total) = await Database.ReadAsync(
            async (c, ct) =>
            {
                var found = await ReadEntriesAsync(select, c, ct);
                if (count is null)
                {
                    return (found, -1L);
                }

                await using var countCommand = count.CreateCommand(c);
                return (found, Convert.ToInt64(await countCommand.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture));
            },
            cancellationToken);
        var pages = total < 0 ? -1 : (total + query.PerPage - 1) / query.PerPage;
        return new LogPage(query.Page, query.PerPage, total, pages, items);
    }

    public async Task<LogEntry?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder(Dialect);
        sql.Append("SELECT ").Append(Columns("l")).Append(" FROM ").AppendIdentifier(Table).Append(' ').AppendIdentifier("l")
            .Append(" WHERE ").AppendColumn("l", "id").Append(" = ").AppendParameter(id);
        var found = await Database.ReadAsync((c, ct) => ReadEntriesAsync(sql, c, ct), cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>Counts per hour (the hour's start as <c>YYYY-MM-DD HH:00:00.000Z</c>), oldest first.</summary>
    public async Task<IReadOnlyList<LogStats>> StatsAsync(string? filter, RequestInfo request, CancellationToken cancellationToken)
    {
        var context = Context(request);

        // created is stored as "YYYY-MM-DD HH:MM:SS.mmmZ" text on both databases, so its first 13 characters name the hour.
        var hour = $"SUBSTR({Dialect.Quote(context.Alias)}.{Dialect.Quote("created")}, 1, 13)";
        var sql = new SqlBuilder(Dialect);
        sql.Append("SELECT ").Append(hour).Append(", COUNT(*) FROM ").AppendIdentifier(Table).Append(' ').AppendIdentifier(context.Alias);
        AppendWhere(sql, context, filter);
        sql.Append(" GROUP BY ").Append(hour).Append(" ORDER BY ").Append(hour);
        return await Database.ReadAsync(
            async (c, ct) =>
            {
                var stats = new List<LogStats>();
                await using var command = sql.CreateCommand(c);
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    stats.Add(new LogStats(reader.GetString(0) + ":00:00.000Z", Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture)));
                }

                return stats;
            },
            cancellationToken);
    }

    /// <summary>Deletes the logs created before <paramref name="cutoff"/> (all of them when it is null); returns how many.</summary>
    public Task<int> DeleteAsync(string? cutoff, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder(Dialect);
        sql.Append("DELETE FROM ").AppendIdentifier(Table);
        if (cutoff is not null)
        {
            sql.Append(" WHERE ").AppendIdentifier("created").Append(" < ").AppendParameter(cutoff);
        }

        return Database.WriteAsync(
            async (c, tx, ct) =>
            {
                await using var command = sql.CreateCommand(c, tx);
                return await command.ExecuteNonQueryAsync(ct);
            },
            cancellationToken);
    }

    // The logs sit apart from the records (auxiliary.db on SQLite), so a filter sees no other collection: @collection.*
    // is an unknown collection on both databases instead of a join that works on one only.
    private static FilterContext Context(RequestInfo request) => new() { Collections = NoCollections.Instance, Collection = LogsTable, Request = request, Alias = "l" };

    private sealed class NoCollections : ICollectionLookup
    {
        public static readonly NoCollections Instance = new();

        public IReadOnlyList<Collection> All => [];

        public Collection? Find(string idOrName) => null;
    }

    private void AppendWhere(SqlBuilder sql, FilterContext context, string? filter)
    {
        if (!string.IsNullOrWhiteSpace(filter))
        {
            sql.Append(" WHERE (");
            compiler.AppendFilter(sql, context, filter);
            sql.Append(')');
        }
    }

    private string Columns(string alias) =>
        string.Join(", ", LogsTable.Fields.Select(f => Dialect.Quote(alias) + "." + Dialect.Quote(f.Name)));

    private async Task<List<LogEntry>> ReadEntriesAsync(SqlBuilder sql, DbConnection connection, CancellationToken ct)
    {
        var entries = new List<LogEntry>();
        await using var command = sql.CreateCommand(connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var data = LogsTable.Fields[4];
        while (await reader.ReadAsync(ct))
        {
            var value = reader.GetValue(4);
            var json = value as string ?? (Dialect.FromDbValue(data, value) as JsonNode)?.ToJsonString() ?? "{}";
            entries.Add(new LogEntry(
                reader.GetString(0),
                reader.GetString(1),
                (int)Convert.ToDouble(reader.GetValue(2), CultureInfo.InvariantCulture),
                reader.GetString(3),
                json));
        }

        return entries;
    }
}
