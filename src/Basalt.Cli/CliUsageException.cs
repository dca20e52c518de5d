namespace Basalt.Cli;

/// <summary>A command line that cannot be run as given; the message says what to change.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
