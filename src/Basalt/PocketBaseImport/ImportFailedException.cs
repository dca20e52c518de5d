namespace Basalt.PocketBaseImport;

/// <summary>An import (or export) that stopped before changing anything, with the reason in words a user can act on.</summary>
public sealed class ImportFailedException : Exception
{
    public ImportFailedException(string message)
        : base(message)
    {
    }

    public ImportFailedException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public ImportFailedException()
        : base("The import failed.")
    {
    }
}
