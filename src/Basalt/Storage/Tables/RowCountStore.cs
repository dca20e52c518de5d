using System.Data.Common;
using System.Globalization;
using Basalt.Model;
using Basalt.Storage.Changes;

namespace Basalt.Storage.Tables;

/// <summary>
/// How many rows each collection's table holds, in <c>_counts</c>, so a list without a filter answers its total without
/// reading the table. Every record create and delete leaves a change for the change log in its unit; as the unit ends,
/// the database adds their sum to the count in the same transaction (<see cref="AddStatements"/>, run where the change
/// log is appended), so a rolled-back unit never counted and a reader's statement sees the count of its snapshot. A count
/// is the sum of <see cref="ISqlDialect.RowCountSlots"/> rows (slots) and a unit adds to one slot that no open
/// transaction holds, so concurrent writers to one collection do not queue for one row through each other's commit. A
/// table gets its slots when it is created (<see cref="TrackAsync"/>), an older database's when it starts
/// (<see cref="TrackMissingAsync"/>). A collection without slots is counted with <c>COUNT(*)</c>: views, and the
/// auth-state tables, whose rows the auth flows delete without the change log.
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
                AppendRead(sql, collectionId);
                return await sql.ScalarAsync(connection, null, ct) is { } value ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : (long?)null;
            },
            cancellationToken);

    /// <summary>The statement reading the kept count of <paramref name="collectionId"/>: NULL when it has none.</summary>
    internal static void AppendRead(SqlBuilder sql, string collectionId) =>
        sql.Append("SELECT SUM(\"count\") FROM ").AppendIdentifier(SystemTables.Counts).Append(" WHERE \"collectionId\" = ").AppendParameter(collectionId);

    /// <summary>
    /// Gives every collection of <paramref name="collections"/> whose count is kept and has no slots yet its slots,
    /// counted once; returns how many it counted. Cheap when none is missing (one read): it runs at every start.
    /// </summary>
    public async Task<int> TrackMissingAsync(IEnumerable<Collection> collections, CancellationToken cancellationToken)
    {
        var kept = collections.Where(IsKept).ToList();
        var tracked = await database.ReadAsync(
            (connection, ct) => new SqlBuilder(database.Dialect).Append("SELECT DISTINCT \"collectionId\" FROM ").AppendIdentifier(SystemTables.Counts)
                .ReadStringsAsync(connection, null, ct),
            cancellationToken);
        var missing = kept.Where(c => !tracked.Contains(c.Id, StringComparer.Ordinal)).ToList();

        // One write per table: a lock on one table at a time cannot deadlock with a unit writing to several.
        foreach (var collection in missing)
        {
            await database.WriteAsync(
                async (connection, transaction, ct) =>
                {
                    // Writes in flight finish before the count and later ones start after its slots exist, so each is
                    // either in the count or adds to a slot (another node may be writing while this one starts).
                    if (database.Dialect.RowCountLockStatement(database.Dialect.Quote(collection.Name)) is { } lockTable)
                    {
                        await new SqlBuilder(database.Dialect).Append(lockTable).ExecuteAsync(connection, transaction, ct);
                    }

                    await TrackAsync(collection, connection, transaction, database.Dialect, ct);
                    return 0;
                },
                cancellationToken);
        }

        return missing.Count;
    }

    /// <summary>Inside the caller's write, (re)counts the table of <paramref name="collection"/> into its slots, if its count is kept.</summary>
    public static async Task TrackAsync(Collection collection, DbConnection connection, DbTransaction transaction, ISqlDialect dialect, CancellationToken cancellationToken)
    {
        if (!IsKept(collection))
        {
            return;
        }

        await ForgetAsync(collection.Id, connection, transaction, dialect, cancellationToken);

        // Slot 0 holds the rows there are, the others start at 0.
        var sql = new SqlBuilder(dialect);
        sql.Append("INSERT INTO ").AppendIdentifier(SystemTables.Counts).Append(" (\"collectionId\", \"slot\", \"count\") VALUES (")
            .AppendParameter(collection.Id).Append(", 0, (SELECT COUNT(*) FROM ").AppendIdentifier(collection.Name).Append("))");
        for (var slot = 1; slot < dialect.RowCountSlots; slot++)
        {
            sql.Append(", (").AppendParameter(collection.Id).Append(", ").Append(slot.ToString(CultureInfo.InvariantCulture)).Append(", 0)");
        }

        await sql.ExecuteAsync(connection, transaction, cancellationToken);
    }

    /// <summary>Inside the caller's write, removes the slots of a collection whose table is dropped.</summary>
    public static Task ForgetAsync(string collectionId, DbConnection connection, DbTransaction transaction, ISqlDialect dialect, CancellationToken cancellationToken)
    {
        var sql = new SqlBuilder(dialect);
        sql.Append("DELETE FROM ").AppendIdentifier(SystemTables.Counts).Append(" WHERE \"collectionId\" = ").AppendParameter(collectionId);
        return sql.ExecuteAsync(connection, transaction, cancellationToken);
    }

    /// <summary>
    /// The statements adding the creates and subtracting the deletes among a unit's <paramref name="changes"/> to their
    /// collections' counts, in collection id order (a unit that must wait for a slot never holds one another waits for
    /// in turn); the database runs them with the change-log append. A collection without slots is left alone.
    /// </summary>
    internal static List<SqlBuilder> AddStatements(IReadOnlyList<PendingChange> changes, ISqlDialect dialect, int firstSlot)
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

        var statements = new List<SqlBuilder>(deltas.Count + 1);
        foreach (var (collectionId, delta) in deltas)
        {
            if (delta != 0)
            {
                var sql = new SqlBuilder(dialect);
                dialect.AppendAddToRowCount(sql, collectionId, delta, firstSlot);
                statements.Add(sql);
            }
        }

        return statements;
    }
}
