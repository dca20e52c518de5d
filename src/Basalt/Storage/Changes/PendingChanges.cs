using System.Data.Common;
using System.Runtime.CompilerServices;

namespace Basalt.Storage.Changes;

/// <summary>
/// The changes each open transaction has made and not appended yet. Record writes add here (they only get the
/// connection and transaction of their unit); the database appends them as the unit ends and drops them when it fails,
/// and a nested unit that fails truncates back to where it started. A unit's last write may also wait here, unsent, to
/// go out with the append (<see cref="TryDefer"/>), where the database allows it.
/// </summary>
internal static class PendingChanges
{
    private static readonly ConditionalWeakTable<DbTransaction, Unit> ByTransaction = new();

    public static void Add(DbTransaction transaction, PendingChange change) =>
        ByTransaction.GetValue(transaction, static _ => new Unit()).Changes.Add(change);

    /// <summary>How many changes <paramref name="transaction"/> holds: the mark a nested unit truncates back to.</summary>
    public static int Count(DbTransaction transaction) =>
        ByTransaction.TryGetValue(transaction, out var unit) ? unit.Changes.Count : 0;

    public static void Truncate(DbTransaction transaction, int count)
    {
        if (ByTransaction.TryGetValue(transaction, out var unit) && unit.Changes.Count > count)
        {
            unit.Changes.RemoveRange(count, unit.Changes.Count - count);
        }
    }

    /// <summary>
    /// Lets a write of <paramref name="transaction"/> be deferred: the database calls this when it runs the unit as one
    /// transaction and sends every deferred write with the append, before anything else of it.
    /// </summary>
    public static void AllowDeferring(DbTransaction transaction) =>
        ByTransaction.GetValue(transaction, static _ => new Unit()).MayDefer = true;

    /// <summary>
    /// No write of <paramref name="transaction"/> is deferred from now on: a nested unit runs in a savepoint, which a
    /// write sent later would escape.
    /// </summary>
    public static void ForbidDeferring(DbTransaction transaction)
    {
        if (ByTransaction.TryGetValue(transaction, out var unit))
        {
            unit.MayDefer = false;
        }
    }

    /// <summary>
    /// Keeps <paramref name="write"/> unsent, to run first in the append's round trip, with <paramref name="change"/>
    /// (its entry, built from the values it writes); false when the unit allows no deferred write (the caller runs it
    /// itself). Only for the last statement of a unit: anything the unit ran after it would run before it.
    /// </summary>
    public static bool TryDefer(DbTransaction transaction, SqlBuilder write, PendingChange change)
    {
        if (!ByTransaction.TryGetValue(transaction, out var unit) || !unit.MayDefer)
        {
            return false;
        }

        unit.MayDefer = false;
        unit.Deferred = write;
        unit.Changes.Add(change);
        return true;
    }

    /// <summary>
    /// Removes and returns the unit's held-back write and its entry when they are all it holds; otherwise leaves the
    /// unit as it is and returns false.
    /// </summary>
    public static bool TryTakeDeferredAlone(DbTransaction transaction, out SqlBuilder write, out PendingChange change)
    {
        if (ByTransaction.TryGetValue(transaction, out var unit) && unit.Deferred is { } deferred && unit.Changes is [var only])
        {
            ByTransaction.Remove(transaction);
            (write, change) = (deferred, only);
            return true;
        }

        (write, change) = (null!, null!);
        return false;
    }

    /// <summary>
    /// Removes and returns what <paramref name="transaction"/> holds (null for nothing). Every unit ends with this, on
    /// success or failure, so nothing outlives its unit even where a driver reuses transaction objects (Npgsql does).
    /// </summary>
    public static List<PendingChange>? Take(DbTransaction transaction) => Take(transaction, out _);

    /// <summary>As <see cref="Take(DbTransaction)"/>, with the deferred write that must run before the changes are appended.</summary>
    public static List<PendingChange>? Take(DbTransaction transaction, out SqlBuilder? deferred)
    {
        deferred = null;
        if (!ByTransaction.TryGetValue(transaction, out var unit))
        {
            return null;
        }

        ByTransaction.Remove(transaction);
        deferred = unit.Deferred;
        return unit.Changes.Count > 0 ? unit.Changes : null;
    }

    private sealed class Unit
    {
        public List<PendingChange> Changes { get; } = [];

        public SqlBuilder? Deferred { get; set; }

        public bool MayDefer { get; set; }
    }
}
