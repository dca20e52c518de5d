using System.Data.Common;
using System.Runtime.CompilerServices;

namespace Basalt.Storage.Changes;

/// <summary>
/// The changes each open transaction has made and not appended yet. Record writes add here (they only get the
/// connection and transaction of their unit); the database appends them as the unit ends and drops them when it fails,
/// and a nested unit that fails truncates back to where it started.
/// </summary>
internal static class PendingChanges
{
    private static readonly ConditionalWeakTable<DbTransaction, List<PendingChange>> ByTransaction = new();

    public static void Add(DbTransaction transaction, PendingChange change) =>
        ByTransaction.GetValue(transaction, static _ => []).Add(change);

    /// <summary>How many changes <paramref name="transaction"/> holds: the mark a nested unit truncates back to.</summary>
    public static int Count(DbTransaction transaction) =>
        ByTransaction.TryGetValue(transaction, out var changes) ? changes.Count : 0;

    public static void Truncate(DbTransaction transaction, int count)
    {
        if (ByTransaction.TryGetValue(transaction, out var changes) && changes.Count > count)
        {
            changes.RemoveRange(count, changes.Count - count);
        }
    }

    /// <summary>
    /// Removes and returns what <paramref name="transaction"/> holds (null for nothing). Every unit ends with this, on
    /// success or failure, so nothing outlives its unit even where a driver reuses transaction objects (Npgsql does).
    /// </summary>
    public static List<PendingChange>? Take(DbTransaction transaction)
    {
        if (!ByTransaction.TryGetValue(transaction, out var changes))
        {
            return null;
        }

        ByTransaction.Remove(transaction);
        return changes.Count > 0 ? changes : null;
    }
}
