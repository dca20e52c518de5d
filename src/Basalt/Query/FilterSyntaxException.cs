namespace Basalt.Query;

/// <summary>
/// Why a filter could not be compiled. It never reaches a client: <see cref="QueryErrors"/> wraps it into the
/// generic 400 envelope PocketBase answers with, keeping the detail for logs and tests.
/// </summary>
public sealed class FilterSyntaxException : Exception
{
    public FilterSyntaxException()
    {
    }

    public FilterSyntaxException(string message)
        : base(message)
    {
    }

    public FilterSyntaxException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <param name="position">The character offset in the expression the error is at.</param>
    public FilterSyntaxException(string message, int position, Exception? inner = null)
        : base(message, inner)
    {
        Position = position;
    }

    /// <summary>The character offset in the expression the error is at, when the stage that failed knows it.</summary>
    public int? Position { get; }
}
