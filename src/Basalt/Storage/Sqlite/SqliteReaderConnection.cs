using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Basalt.Storage.Sqlite;

/// <summary>A pooled read-only connection that keeps its prepared statements between reads (<see cref="SqliteStatementCache"/>).</summary>
internal sealed class SqliteReaderConnection : SqliteConnection, IStatementCache
{
    private readonly SqliteStatementCache _statements;

    public SqliteReaderConnection(string connectionString)
        : base(connectionString)
    {
        _statements = new SqliteStatementCache(this);
    }

    /// <summary>Commands kept now (for tests).</summary>
    internal int StatementsKept => _statements.Count;

    public DbCommand Rent(string text) => _statements.Rent(text);

    public void Return(DbCommand command) => _statements.Return((SqliteCommand)command);

    public string ParameterName(string name) => name.Length > 0 && name[0] is '@' or ':' or '$' ? name : "@" + name;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _statements.Dispose();
        }

        base.Dispose(disposing);
    }
}
