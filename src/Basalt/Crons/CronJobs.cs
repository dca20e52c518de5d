using System.Diagnostics.CodeAnalysis;
using Basalt.Auth;
using Basalt.Backups;
using Basalt.Files;
using Basalt.Logs;
using Basalt.Model;
using Basalt.Settings;
using Cronos;

namespace Basalt.Crons;

/// <summary>
/// The jobs Basalt schedules, with PocketBase's ids where PocketBase has the same job: request-log pruning
/// (<c>__pbLogsCleanup__</c>), expired MFA challenges and OTPs (<c>__pbMFACleanup__</c>, <c>__pbOTPCleanup__</c>), the sweep of
/// stored files no record references (<c>__pbFilesSweep__</c>, Basalt's own) and, while <c>backups.cron</c> is set, the
/// scheduled backup (<c>__pbAutoBackup__</c>). The list is built per call, so a settings change applies at once.
/// </summary>
public sealed class CronJobs(
    SettingsService settings,
    ICollectionLookup collections,
    RequestLogWriter logs,
    MfaService mfas,
    OtpService otps,
    FileSweeper sweeper,
    ScheduledBackups backups,
    TimeProvider time)
{
    public const string LogsCleanup = "__pbLogsCleanup__";
    public const string MfaCleanup = "__pbMFACleanup__";
    public const string OtpCleanup = "__pbOTPCleanup__";
    public const string FilesSweep = "__pbFilesSweep__";
    public const string AutoBackup = "__pbAutoBackup__";

    public async Task<IReadOnlyList<CronJob>> ListAsync(CancellationToken cancellationToken)
    {
        var list = new List<CronJob>
        {
            new(LogsCleanup, "0 * * * *", logs.PruneAsync),
            new(MfaCleanup, "0 * * * *", ct => EachAuthCollectionAsync(mfas.PurgeExpiredAsync, ct)),
            new(OtpCleanup, "0 * * * *", ct => EachAuthCollectionAsync(otps.PurgeExpiredAsync, ct)),

            // Only files last changed over an hour ago: an upload whose write has not committed yet is never one of them.
            new(FilesSweep, "30 3 * * *", ct => sweeper.SweepAsync(time.GetUtcNow() - FileSweeper.SharedStorageGrace, ct)),
        };
        var cron = (await settings.GetAsync(cancellationToken)).Backups.Cron;
        if (cron.Length > 0)
        {
            list.Add(new CronJob(AutoBackup, cron, backups.RunAsync));
        }

        return list
            .OrderBy(j => j.Id.StartsWith("__pb", StringComparison.Ordinal))
            .ThenBy(j => j.Id, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Parses a five-field expression or a macro (<c>@hourly</c>, <c>@daily</c>, …) as Cronos reads it.</summary>
    public static bool TryParse(string expression, [NotNullWhen(true)] out CronExpression? parsed) =>
        CronExpression.TryParse(expression, CronFormat.Standard, out parsed);

    private async Task EachAuthCollectionAsync(Func<Collection, CancellationToken, Task<int>> purge, CancellationToken cancellationToken)
    {
        foreach (var collection in collections.All.Where(c => c.IsAuth))
        {
            await purge(collection, cancellationToken);
        }
    }
}
