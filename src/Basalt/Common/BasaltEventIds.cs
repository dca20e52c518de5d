namespace Basalt.Common;

/// <summary>
/// Stable event ids of Basalt's log messages, one range of 1,000 per area (as Npgsql's NpgsqlEventId), so a log
/// filter or an alert can name them: 1000 Api (the HTTP pipeline and client addresses), 5000 request logs, 6000 mail,
/// 7000 files.
/// docs/logging.md lists them.
/// </summary>
public static class BasaltEventIds
{
    /// <summary>Requests carry proxy headers from a loopback or private peer while no trusted proxy header is set.</summary>
    public const int ProxyHeadersIgnored = 1000;

    /// <summary>A read ran past the read deadline and was stopped; the request answered 400.</summary>
    public const int ReadTookTooLong = 1001;

    /// <summary>A client IP waited the whole read deadline for one of its read turns; the request answered 429.</summary>
    public const int ReadTurnRefused = 1002;

    /// <summary>A subscriber's per-event realtime budget ran out; its remaining subscriptions got no event.</summary>
    public const int RealtimeBudgetSpent = 3000;

    /// <summary>A realtime client fell a whole queue of events behind and was disconnected.</summary>
    public const int RealtimeClientTooSlow = 3003;

    /// <summary>The realtime dispatcher could not read or fan out the change log; it retries.</summary>
    public const int RealtimeDispatchFailed = 3010;

    /// <summary>A resuming client's missed events could not be replayed; it was disconnected.</summary>
    public const int RealtimeReplayFailed = 3011;

    /// <summary>A client resumed from an id older than the change log keeps; it was sent the reset event.</summary>
    public const int RealtimeResumeTooOld = 3012;

    public const int ChangeLogPruned = 3013;
    public const int ChangeLogPruneFailed = 3014;

    public const int RequestLogQueueFull = 5000;
    public const int RequestLogWriteFailed = 5001;
    public const int RequestLogsPruned = 5002;
    public const int RequestLogPruneFailed = 5003;
    public const int RequestLogDrainTimedOut = 5004;

    public const int MailQueueFull = 6000;
    public const int MailSent = 6001;
    public const int MailSendRetrying = 6002;
    public const int MailSendFailed = 6003;
    public const int MailDrainTimedOut = 6004;

    public const int FileDeleteFailed = 7000;
    public const int FileSweepRemoved = 7001;
    public const int FileSweepFailed = 7002;
    public const int FileSweepFinished = 7003;
}
