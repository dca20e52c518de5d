using System.Data.Common;
using System.Globalization;
using System.Text.Json.Nodes;
using Basalt.Storage.Changes;

namespace Basalt.Storage.Tables;

/// <summary>
/// The change log, <c>_changes</c>: record writes add <see cref="PendingChange"/>s to their unit, and the database
/// appends them with <see cref="AppendPendingAsync"/> as the unit ends, inside its transaction (SQLite: in the unit's
/// savepoint of the group commit; PostgreSQL: right before COMMIT, tracked by <see cref="ChangeFeed"/> until it ends), so an entry exists
/// exactly when its write committed. Readers page through entries by id; pruning deletes the oldest and remembers in
/// <c>_params</c> up to which id entries are gone, so a reader can tell "pruned" from "never existed".
/// </summary>
public sealed class ChangeLogStore(IDatabase database)
{
    /// <summary>The <c>_params</c> row holding <c>{"prunedThrough": id}</c>.</summary>
    public const string ParamId = "changes";

    /// <summary>Entries deleted by one pruning write at most, so pruning never holds the writer long.</summary>
    public const int PruneChunk = 10_000;

    // Five values per row: a statement stays far below SQLite's and PostgreSQL's parameter limits.
    private const int AppendChunk = 500;

    public IDatabase Database => database;

    /// <summary>
    /// Appends the changes <paramref name="transaction"/> holds; returns the newest id it gave (0 for none). Called by
    /// the databases only, as a unit ends and before it commits (a failing unit drops its changes with
    /// <see cref="PendingChanges.Take"/>). With <paramref name="commit"/> (PostgreSQL, where the unit is the whole
    /// transaction) the last round trip ends with <c>COMMIT</c>, which then needs no round trip of its own: when this
    /// returns a value above 0 the transaction has committed. Not cancellable then, as a commit is not. The counts
    /// are added to slots from <paramref name="firstSlot"/> on (see <see cref="ISqlDialect.AppendAddToRowCount"/>).
    /// </summary>
    internal static Task<long> AppendPendingAsync(DbConnection connection, DbTransaction transaction, ISqlDialect dialect, bool commit, int firstSlot, CancellationToken cancellationToken)
    {
        if (PendingChanges.Take(transaction, out var deferred) is not { } changes)
        {
            return Task.FromResult(0L);
        }

        return AppendAsync(connection, transaction, dialect, changes, deferred is null ? [] : [deferred], commit, firstSlot, cancellationToken);
    }

    /// <summary>
    /// Appends <paramref name="changes"/> inside <paramref name="transaction"/>, after <paramref name="writesFirst"/>
    /// (writes held back for this round trip, each the one whose entry is in <paramref name="changes"/>) and with the
    /// counts they move; returns the newest id it gave. <paramref name="commit"/> as for <see cref="AppendPendingAsync"/>.
    /// </summary>
    internal static async Task<long> AppendAsync(DbConnection connection, DbTransaction transaction, ISqlDialect dialect, IReadOnlyList<PendingChange> changes, IReadOnlyList<SqlBuilder> writesFirst, bool commit, int firstSlot, CancellationToken cancellationToken)
    {
        // Held-back writes go first, then the counts, in the first round trip with the entries: a unit whose only
        // statement was held back (a create) is then BEGIN to COMMIT in one round trip, and so is a group of them
        // (PostgresCommitGroups). The statements' texts repeat (a unit of one change, a group of a given size): prepared,
        // the server plans each once per connection.
        var statements = RowCountStore.AddStatements(changes, dialect, firstSlot);
        statements.InsertRange(0, writesFirst);
        var prepare = changes.Count == 1 || writesFirst.Count == changes.Count;
        var created = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var newest = 0L;
        var chunks = changes.Chunk(AppendChunk).ToList();
        foreach (var chunk in chunks)
        {
            var sql = new SqlBuilder(dialect);
            sql.Append("INSERT INTO ").AppendIdentifier(SystemTables.Changes)
                .Append(" (\"created\", \"collectionId\", \"recordId\", \"action\", \"record\") VALUES ");
            for (var i = 0; i < chunk.Length; i++)
            {
                var change = chunk[i];
                sql.Append(i > 0 ? ", (" : "(").AppendParameter(created).Append(", ").AppendParameter(change.CollectionId).Append(", ")
                    .AppendParameter(change.RecordId).Append(", ").AppendParameter(change.Action).Append(", ").AppendParameter(change.Record).Append(')');
            }

            sql.Append(" RETURNING \"id\"");
            statements.Add(sql);
            var last = commit && chunk == chunks[^1];
            if (last)
            {
                statements.Add(new SqlBuilder(dialect).Append("COMMIT"));
            }

            var ids = await SqlExecution.ReadLastAsync(statements, connection, transaction, prepare, r => Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture), last ? CancellationToken.None : cancellationToken);
            statements.Clear();
            newest = Math.Max(newest, ids.Max());
        }

        return newest;
    }

    /// <summary>Up to <paramref name="limit"/> entries with <paramref name="after"/> &lt; id ≤ <paramref name="upTo"/>, in id order.</summary>
    public Task<List<ChangeEntry>> ReadAsync(long after, long upTo, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync(
            (connection, ct) =>
            {
                var sql = new SqlBuilder(database.Dialect);
                sql.Append("SELECT \"id\", \"created\", \"collectionId\", \"recordId\", \"action\", \"record\" FROM ")
                    .AppendIdentifier(SystemTables.Changes).Append(" WHERE \"id\" > ").AppendParameter(after)
                    .Append(" AND \"id\" <= ").AppendParameter(upTo)
                    .Append(" ORDER BY \"id\" LIMIT ").Append(limit.ToString(CultureInfo.InvariantCulture));
                return sql.ReadAsync(
                    connection,
                    null,
                    r => new ChangeEntry(
                        Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture),
                        Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture),
                        r.GetString(2),
                        r.GetString(3),
                        r.GetString(4),
                        r.GetString(5)),
                    ct);
            },
            cancellationToken);

    /// <summary>
    /// The entries after <paramref name="after"/> (the first <paramref name="maxRows"/> of them), as runs of consecutive
    /// ids, first and last of each, in order; at most <paramref name="maxRuns"/> runs.
    /// </summary>
    public Task<List<(long First, long Last)>> ReadCommittedRunsAsync(long after, int maxRows, int maxRuns, CancellationToken cancellationToken) =>
        database.ReadAsync(
            (connection, ct) =>
            {
                // An id minus its rank is the same along a run of consecutive ids and grows at each gap.
                var sql = new SqlBuilder(database.Dialect);
                sql.Append("SELECT MIN(\"id\"), MAX(\"id\") FROM (SELECT \"id\", \"id\" - ROW_NUMBER() OVER (ORDER BY \"id\") AS \"run\" FROM (SELECT \"id\" FROM ")
                    .AppendIdentifier(SystemTables.Changes).Append(" WHERE \"id\" > ").AppendParameter(after)
                    .Append(" ORDER BY \"id\" LIMIT ").Append(maxRows.ToString(CultureInfo.InvariantCulture))
                    .Append(") AS \"past\") AS \"ranked\" GROUP BY \"run\" ORDER BY MIN(\"id\") LIMIT ").Append(maxRuns.ToString(CultureInfo.InvariantCulture));
                return sql.ReadAsync(
                    connection,
                    null,
                    r => (Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture), Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture)),
                    ct);
            },
            cancellationToken);

    /// <summary>The newest id handed out (0 for none yet) and the id up to which entries were pruned.</summary>
    public Task<ChangeLogBounds> BoundsAsync(CancellationToken cancellationToken) =>
        database.ReadAsync((connection, ct) => BoundsAsync(connection, null, ct), cancellationToken);

    /// <summary>
    /// Deletes, in one write, up to <see cref="PruneChunk"/> of the oldest entries among those older than
    /// <paramref name="olderThan"/> (Unix ms) or beyond the newest <paramref name="keep"/>; returns how many went.
    /// </summary>
    public Task<int> PruneAsync(long olderThan, long keep, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction, ct) =>
            {
                var bounds = await BoundsAsync(connection, transaction, ct);
                var sql = new SqlBuilder(database.Dialect);
                sql.Append("SELECT MAX(CASE WHEN \"created\" < ").AppendParameter(olderThan).Append(" OR \"id\" <= ").AppendParameter(bounds.Head - keep)
                    .Append(" THEN \"id\" END) FROM (SELECT \"id\", \"created\" FROM ").AppendIdentifier(SystemTables.Changes)
                    .Append(" ORDER BY \"id\" LIMIT ").Append(PruneChunk.ToString(CultureInfo.InvariantCulture)).Append(") AS \"oldest\"");
                if (await sql.ScalarAsync(connection, transaction, ct) is not { } found)
                {
                    return 0;
                }

                var through = Convert.ToInt64(found, CultureInfo.InvariantCulture);
                var delete = new SqlBuilder(database.Dialect);
                delete.Append("DELETE FROM ").AppendIdentifier(SystemTables.Changes).Append(" WHERE \"id\" <= ").AppendParameter(through);
                var deleted = await delete.ExecuteAsync(connection, transaction, ct);
                var mark = new JsonObject { ["prunedThrough"] = Math.Max(through, bounds.PrunedThrough) }.ToJsonString();
                await SystemTables.SetParamAsync(connection, transaction, database.Dialect, ParamId, mark, Common.DateFormat.Format(DateTimeOffset.UtcNow), ct);
                return deleted;
            },
            cancellationToken);

    /// <summary>
    /// After a restore, inside its transaction: empties the log and marks it pruned through <paramref name="mark"/>, an id
    /// above every one given out before the restore and in the restored log (the caller moves the id sequence there).
    /// </summary>
    internal static async Task ResetForRestoreAsync(DbConnection connection, DbTransaction transaction, ISqlDialect dialect, long mark, CancellationToken cancellationToken)
    {
        var delete = new SqlBuilder(dialect);
        delete.Append("DELETE FROM ").AppendIdentifier(SystemTables.Changes);
        await delete.ExecuteAsync(connection, transaction, cancellationToken);
        var json = new JsonObject { ["prunedThrough"] = mark }.ToJsonString();
        await SystemTables.SetParamAsync(connection, transaction, dialect, ParamId, json, Common.DateFormat.Format(DateTimeOffset.UtcNow), cancellationToken);
    }

    private async Task<ChangeLogBounds> BoundsAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder(database.Dialect);
        sql.Append("SELECT MAX(\"id\") FROM ").AppendIdentifier(SystemTables.Changes);
        var newest = await sql.ScalarAsync(connection, transaction, cancellationToken) is { } value ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : 0;
        var pruned = 0L;
        if (await SystemTables.GetParamAsync(connection, transaction, ParamId, cancellationToken) is { } json &&
            JsonNode.Parse(json)?["prunedThrough"] is JsonValue mark && mark.TryGetValue<long>(out var through))
        {
            pruned = through;
        }

        return new ChangeLogBounds(Math.Max(newest, pruned), pruned);
    }
}
