using System.Data.Common;
using System.Runtime.CompilerServices;

namespace Basalt.Storage;

/// <summary>
/// Whether a write unit has sent a statement on its connection yet. On PostgreSQL a unit that sent none, whose one
/// write was held back for its commit (a create), may be committed with other such units in one transaction
/// (<c>PostgresCommitGroups</c>); a unit that sent anything owns an open transaction on its connection and commits
/// there. Every command Basalt builds goes through <see cref="Sent"/> (SqlBuilder, SqlExecution and the few direct
/// command sites), which costs one table lookup.
/// </summary>
internal static class UnitConnections
{
    private static readonly ConditionalWeakTable<DbConnection, Marker> Watched = new();

    /// <summary>Starts watching <paramref name="connection"/>, the connection of a unit that has sent nothing.</summary>
    public static void Watch(DbConnection connection) => Watched.AddOrUpdate(connection, new Marker());

    /// <summary>Notes that a statement is about to go out on <paramref name="connection"/>.</summary>
    public static void Sent(DbConnection? connection)
    {
        if (connection is not null && Watched.TryGetValue(connection, out var marker))
        {
            marker.Sent = true;
        }
    }

    /// <summary>True when <paramref name="connection"/> is watched and nothing went out on it since.</summary>
    public static bool NothingSent(DbConnection connection) => Watched.TryGetValue(connection, out var marker) && !marker.Sent;

    public static void Forget(DbConnection connection) => Watched.Remove(connection);

    private sealed class Marker
    {
        public bool Sent { get; set; }
    }
}
