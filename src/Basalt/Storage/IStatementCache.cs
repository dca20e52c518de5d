using System.Data.Common;

namespace Basalt.Storage;

/// <summary>
/// A connection that keeps the statements it prepared between reads, by their text (SQLite's pooled readers:
/// Microsoft.Data.Sqlite prepares every new command's text again). <see cref="SqlExecution"/> rents from it for reads
/// outside a transaction and gives each command back once its reader is closed.
/// </summary>
internal interface IStatementCache
{
    /// <summary>
    /// A command of <paramref name="text"/> without parameters, prepared already when the same text ran before on this
    /// connection. It is the caller's alone until <see cref="Return"/>: a text rented twice at once gets two commands.
    /// </summary>
    DbCommand Rent(string text);

    /// <summary>Gives back a command whose reader is closed and whose statement did not fail; it may be kept for the next rent of its text.</summary>
    void Return(DbCommand command);

    /// <summary>
    /// Parameter names as the driver finds them fastest on the commands this cache hands out: Microsoft.Data.Sqlite looks
    /// a bare name up as <c>:p0</c>, <c>@p0</c> and <c>$p0</c> in turn, a native call and a string each.
    /// </summary>
    string ParameterName(string name);
}
