namespace Basalt.Migrations;

/// <summary>
/// A migration command that could not be carried out (a file that does not read, a change the database refuses, a name
/// that is not allowed); the message says which file and why. An <see cref="InvalidOperationException"/>, so a host
/// that fails to start because of it prints the message alone.
/// </summary>
public sealed class MigrationException : InvalidOperationException
{
    public MigrationException(string message)
        : base(message)
    {
    }

    public MigrationException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public MigrationException()
    {
    }
}
