namespace Basalt.Storage;

/// <summary>A read ran past its deadline and was interrupted (<see cref="Hosting.BasaltOptions.ReadTimeout"/>).</summary>
public sealed class ReadTimeoutException : Exception
{
    public ReadTimeoutException()
        : base("The read ran past its deadline.")
    {
    }

    public ReadTimeoutException(string message)
        : base(message)
    {
    }

    public ReadTimeoutException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
