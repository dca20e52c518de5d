using Basalt.Errors;

namespace Basalt.Records;

/// <summary>
/// A batch that applied nothing: sub-request <see cref="Index"/> failed with <see cref="Error"/>, or (both null) the
/// batch ran past its timeout.
/// </summary>
public sealed class BatchFailedException : Exception
{
    public BatchFailedException(int index, ApiError error)
        : base($"Batch request {index} failed: {error.Message}", error)
    {
        Index = index;
        Error = error;
    }

    public BatchFailedException()
        : base("The batch ran past its timeout.")
    {
    }

    public BatchFailedException(string message)
        : base(message)
    {
    }

    public BatchFailedException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public int? Index { get; }

    public ApiError? Error { get; }
}
