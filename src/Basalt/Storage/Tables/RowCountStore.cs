using System.Data.Common;
using System.Globalization;
using Basalt.Model;
using Basalt.Storage.Changes;

namespace Basalt.Storage.Tables;

/// <summary>
/// How many rows each collection's table holds, in <c>_counts</c>, so a list without a filter answers its total without
/// reading the table. Every record create and delete leaves a change for the change log in its unit; as the unit ends,
/// the database applies their sum here in the same transaction (<see cref="ApplyAsync"/>, called where the change log is
/// appended: in the unit's savepoint on SQLite, under the change log's order lock on PostgreSQL, so units update a count
/// one at a time and never deadlock over two). A table gets its row when it is created (<see cref="TrackAsync"/>), an
/// older database when it starts (<see cref="TrackMissingAsync"/>). A collection without a row is counted with
/// <c>COUNT(*)</c>: views, and the auth-state tables, whose rows the auth flows delete without the change log.
/// </summary>
public sealed class RowCountStore(IDatabase database)
{
    /// <summary>Whether the count of <paramref name="collection"/> is kept (only then does it get a row).</summary>
    public static bool IsKept(Collection collection) =>
        !collection.IsView &&
        collection.Name is not (AuthSystemCollections.Mfas or AuthSystemCollections.Otps or AuthSystemCollections.ExternalAuths or AuthSystemCollections.AuthOrigins);

    /// <summary>The kept count of the collection <paramref name="collectionId"/>; null when it has none.</summary>
    public Task<long?> ReadAsync(string collectionId, CancellationToken cancellationToken) =>
        database.ReadAsync(
            async (connection, ct) =>
            {
                var sql = new SqlBuilder(database.Dialect);
                sql.Append("SELECT \"count\" FROM ").AppendIdentifier(SystemTables.Counts).Append(" WHERE \"collectionId\" = ").AppendParameter(collectionId);
                return await sql.ScalarAsync(connection, null, ct) is { } value ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : (long?)null;
            },
            cancellationToken);

    /// <summary>
    /// Gives every collection of <paramref name="collections"/> whose count is kept and has no row yet its row, counted
    /// once; returns how many it counted. Cheap when none is missing (one read): it runs at every start.
    /// </summary>
    public async Task<int> TrackMissingAsync(IEnumerable<Collection> collections, CancellationToken cancellationToken)
    {
        var kept = collections.Where(IsKept).ToList();
        var tracked = await database.ReadAsync(
            (connection, ct) => new SqlBuilder(database.Dialect).Append("SELECT \"collectionId\" FROM ").AppendIdentifier(SystemTables.Counts)
                .ReadStringsAsync(connection, null, ct),
            cancellationToken);
        var missing = kept.Where(c => !tracked.Contains(c.Id, StringComparer.Ordinal)).ToList();
        if (missing.Count == 0)
        {
            return 0;
        }

        return await database.WriteAsync(
            async (connection, transaction, ct) =>
            {
                // Writers add to a count under the same lock, so none commits between this count and its row: a writer
                // that committed before is in the count, one that commits after finds the row and adds to it.
                if (database.Dialect.ChangeLogOrderStatement is { } order)
                {
                    await new SqlBuilder(database.Dialect).Append(order).ExecuteAsync(connection, transaction, ct);
                }

                foreach (var collection in missing)
                {
                    await TrackAsync(collection, connection, transaction, database.Dialect, ct);
                }

                return missing.Count;
            },
            cancellationToken);
    }

    /// <summary>Inside the caller's write, (re)counts the table of <paramref name="collection"/> into its row, if its count is kept.</summary>
    public static Task TrackAsync(Collection collection, DbConnection connection, DbTransaction transaction, ISqlDialect dialect, CancellationToken cancellationToken)
    {
        if (!IsKept(collection))
        {
            return Task.CompletedTask;
        }

        // The WHERE is SQLite's: an INSERT … SELECT with an upsert clause needs one to parse.
        var sql = new SqlBuilder(dialect);
        sql.Append("INSERT INTO ").AppendIdentifier(SystemTables.Counts).Append(" (\"collectionId\", \"count\") SELECT ")
            .AppendParameter(collection.Id).Append(", COUNT(*) FROM ").AppendIdentifier(collection.Name)
            .Append(" WHERE 1 = 1 ON CONFLICT (\"collectionId\") DO UPDATE SET \"count\" = excluded.\"count\"");
        return sql.ExecuteAsync(connection, transaction, cancellationToken);
    }

    /// <summary>Inside the caller's write, removes the row of a collection whose table is dropped.</summary>
    public static Task ForgetAsync(string collectionId, DbConnection connection, DbTransaction transaction, ISqlDialect dialect, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder(dialect);
        sql.Append("DELETE FROM ").AppendIdentifier(SystemTables.Counts).Append(" WHERE \"collectionId\" = ").AppendParameter(collectionId);
        return sql.ExecuteAsync(connection, transaction, cancellationToken);
    }

    /// <summary>
    /// Adds the creates and subtracts the deletes among a unit's <paramref name="changes"/> to their collections' rows,
    /// in collection id order. A collection without a row is left alone.
    /// </summary>
    internal static async Task ApplyAsync(IReadOnlyList<PendingChange> changes, DbConnection connection, DbTransaction transaction, ISqlDialect dialect, CancellationToken cancellationToken)
    {
        var deltas = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var change in changes)
        {
            var delta = change.Action switch
            {
                ChangeActions.Create => 1,
                ChangeActions.Delete => -1,
                _ => 0,
            };
            if (delta != 0)
            {
                deltas[change.CollectionId] = deltas.GetValueOrDefault(change.CollectionId) + delta;
            }
        }

        foreach (var (collectionId, delta) in deltas)
        {
            if (delta == 0)
            {
                continue;
            }

            var sql = new SqlBuilder(dialect);
            sql.Append("UPDATE ").AppendIdentifier(SystemTables.Counts).Append(" SET \"count\" = \"count\" + ").AppendParameter(delta)
                .Append(" WHERE \"collectionId\" = ").AppendParameter(collectionId);
            await sql.ExecuteAsync(connection, transaction, cancellationToken);
        }
    }
}
