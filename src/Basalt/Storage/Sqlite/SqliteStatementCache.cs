using Microsoft.Data.Sqlite;

namespace Basalt.Storage.Sqlite;

/// <summary>
/// The prepared commands of one reader connection, by text, least recently used first out. A filter's text is shaped
/// by the client (its values are parameters, its structure is not), so a flood of distinct filters must not grow it:
/// it holds at most <see cref="Capacity"/> commands and none longer than <see cref="MaxTextLength"/>. A statement of
/// a table whose schema changed since it was prepared is prepared again by SQLite at its next step (sqlite3_prepare_v2
/// keeps its text for that), so a schema change needs nothing from this cache; a statement that failed is never given
/// back, and the pool drops the connection (and this cache with it) after a read that threw.
/// </summary>
internal sealed class SqliteStatementCache(SqliteConnection connection) : IDisposable
{
    /// <summary>Commands kept per reader connection: a few collections' get, page, count and filter statements.</summary>
    public const int Capacity = 64;

    /// <summary>Longer texts (a filter near the parser's limit, a long id list) are prepared each time and not kept.</summary>
    public const int MaxTextLength = 8192;

    private readonly Dictionary<string, LinkedListNode<SqliteCommand>> _byText = new(StringComparer.Ordinal);
    private readonly LinkedList<SqliteCommand> _recent = new();
    private bool _disposed;

    /// <summary>Commands kept now (for tests).</summary>
    public int Count => _byText.Count;

    public SqliteCommand Rent(string text)
    {
        if (_byText.Remove(text, out var node))
        {
            _recent.Remove(node);
            return node.Value;
        }

        var command = connection.CreateCommand();
        command.CommandText = text;
        return command;
    }

    public void Return(SqliteCommand command)
    {
        command.Parameters.Clear();
        var text = command.CommandText;
        if (_disposed || text.Length > MaxTextLength || _byText.ContainsKey(text))
        {
            command.Dispose();
            return;
        }

        _byText[text] = _recent.AddFirst(command);
        if (_byText.Count > Capacity && _recent.Last is { } oldest)
        {
            _recent.RemoveLast();
            _byText.Remove(oldest.Value.CommandText);
            oldest.Value.Dispose();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        foreach (var command in _recent)
        {
            command.Dispose();
        }

        _recent.Clear();
        _byText.Clear();
    }
}
