using System.Net;
using Basalt.Mail;
using Basalt.Model;
using Basalt.Settings;
using Basalt.Storage;
using Basalt.Storage.Tables;
using Microsoft.Extensions.Logging;

namespace Basalt.Backups;

/// <summary>
/// The scheduled backup (<c>backups.cron</c>): creates an <c>@auto_</c> backup, then deletes the oldest scheduled ones
/// beyond <c>backups.cronMaxKeep</c> (backups made by hand or uploaded are never deleted). A failure is logged and
/// mailed to every superuser through the outbox, so a broken schedule does not go unnoticed.
/// </summary>
public sealed class ScheduledBackups(BackupService backups, BackupStorageProvider storages, SettingsService settings, IDatabase database, MailOutbox outbox, TimeProvider time, ILogger<ScheduledBackups> logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var current = await settings.GetAsync(cancellationToken);
        var name = BackupNames.Auto(current.Meta.AppName, time.GetUtcNow());
        try
        {
            await backups.CreateAsync(name, null, cancellationToken);
            await PruneAsync(current.Backups.CronMaxKeep, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var recipients = await SuperuserEmailsAsync(cancellationToken);
            Log.ScheduledBackupFailed(logger, e, name, recipients.Count);
            foreach (var to in recipients)
            {
                outbox.Enqueue(FailureMail(to, current.Meta, name, e), "backup failure");
            }

            throw;
        }
    }

    private async Task PruneAsync(int keep, CancellationToken cancellationToken)
    {
        var storage = await storages.GetAsync(cancellationToken);
        var scheduled = (await storage.ListAsync(cancellationToken)).Where(b => b.Key.StartsWith(BackupNames.AutoPrefix, StringComparison.Ordinal)).ToList();
        foreach (var old in scheduled.Skip(Math.Max(keep, 1)))
        {
            await storage.DeleteAsync(old.Key, cancellationToken);
            Log.BackupPruned(logger, old.Key, keep);
        }
    }

    private async Task<List<string>> SuperuserEmailsAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await database.ReadAsync(
                async (c, ct) =>
                {
                    var emails = new List<string>();
                    await foreach (var (_, values) in TableScan.ReadAsync(database.Dialect, SystemCollections.Superusers, ["email"], c, null, ct))
                    {
                        if (values[0] is string { Length: > 0 } email)
                        {
                            emails.Add(email);
                        }
                    }

                    return emails;
                },
                cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The database itself may be what failed; the log line still says so.
            return [];
        }
    }

    private static Email FailureMail(string to, MetaSettings meta, string name, Exception error)
    {
        var app = WebUtility.HtmlEncode(meta.AppName.Length > 0 ? meta.AppName : "Basalt");
        return new Email(
            to,
            $"{meta.AppName} scheduled backup failed".Trim(),
            $"<p>Hello,</p><p>The scheduled backup <strong>{WebUtility.HtmlEncode(name)}</strong> of {app} failed:</p>" +
            $"<pre>{WebUtility.HtmlEncode(error.Message)}</pre>" +
            "<p>The server log has the details (event 15006). Check the backups settings (<code>backups.cron</code>, <code>backups.s3</code>) and the free space of the data folder.</p>");
    }
}
