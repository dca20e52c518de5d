namespace Basalt.Storage;

/// <summary>The database refused an SQL console statement (a syntax error, a write, several statements); the message is the database's own.</summary>
public sealed class SqlConsoleException : Exception
{
    public SqlConsoleException()
    {
    }

    public SqlConsoleException(string message)
        : base(message)
    {
    }

    public SqlConsoleException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
