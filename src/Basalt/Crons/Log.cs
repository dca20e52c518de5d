using Basalt.Common;
using Microsoft.Extensions.Logging;

namespace Basalt.Crons;

/// <summary>The log messages of the cron jobs.</summary>
internal static partial class Log
{
    [LoggerMessage(BasaltEventIds.CronJobStarted, LogLevel.Debug, "Cron job {JobId} started ({Trigger})")]
    public static partial void CronJobStarted(ILogger logger, string jobId, string trigger);

    [LoggerMessage(BasaltEventIds.CronJobFinished, LogLevel.Debug, "Cron job {JobId} finished in {Milliseconds} ms")]
    public static partial void CronJobFinished(ILogger logger, string jobId, long milliseconds);

    [LoggerMessage(BasaltEventIds.CronJobFailed, LogLevel.Error, "Cron job {JobId} failed; it runs again at its next time")]
    public static partial void CronJobFailed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(BasaltEventIds.CronExpressionInvalid, LogLevel.Warning, "Cron job {JobId} has the expression \"{Expression}\", which cannot be scheduled; it does not run")]
    public static partial void CronExpressionInvalid(ILogger logger, string jobId, string expression);
}
