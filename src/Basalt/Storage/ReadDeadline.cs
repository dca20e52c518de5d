namespace Basalt.Storage;

/// <summary>
/// Gives one read a deadline: waiting for a connection and running the statements share it. When the deadline passes
/// the read's token is cancelled (the database interrupts the running statement) and the failure, whatever shape the
/// driver gives it, becomes a <see cref="ReadTimeoutException"/>; a caller that went away still sees its own cancellation.
/// </summary>
internal static class ReadDeadline
{
    public static async Task<T> RunAsync<T>(TimeSpan timeout, Func<CancellationToken, Task<T>> read, Func<Exception, bool> isInterruption, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await read(deadline.Token);
        }
        catch (Exception e) when (e is OperationCanceledException || isInterruption(e))
        {
            if (cancellationToken.IsCancellationRequested)
            {
                // The caller's own cancellation, whatever the driver made of the interrupt.
                throw new OperationCanceledException("The read was cancelled.", e, cancellationToken);
            }

            if (deadline.IsCancellationRequested || isInterruption(e))
            {
                throw new ReadTimeoutException("The read ran past its deadline of " + timeout + ".", e);
            }

            throw;
        }
    }
}
