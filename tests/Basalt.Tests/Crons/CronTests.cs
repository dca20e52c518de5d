using System.Net;
using Basalt.Backups;
using Basalt.Common;
using Basalt.Crons;
using Basalt.Tests.Auth;
using Basalt.Tests.Backups;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Crons;

/// <summary><c>/api/crons</c>, the built-in jobs, and when the scheduler runs them.</summary>
public abstract class CronTests(BasaltServerFixture fixture) : BackupTestBase(fixture)
{
    private CronScheduler Scheduler => Server.Services.GetRequiredService<CronScheduler>();

    [Fact]
    public async Task The_list_has_the_built_in_jobs_and_the_scheduled_backup_while_backups_cron_is_set()
    {
        var (status, body) = await Superuser.GetJsonAsync("/api/crons");
        Assert.Equal(HttpStatusCode.OK, status);
        var jobs = body!.AsArray().Select(j => (j!["id"]!.GetValue<string>(), j["expression"]!.GetValue<string>())).ToList();
        Assert.Contains(("__pbLogsCleanup__", "0 * * * *"), jobs);
        Assert.Contains(("__pbMFACleanup__", "0 * * * *"), jobs);
        Assert.Contains(("__pbOTPCleanup__", "0 * * * *"), jobs);
        Assert.Contains(("__pbFilesSweep__", "30 3 * * *"), jobs);
        Assert.DoesNotContain(jobs, j => j.Item1 == CronJobs.AutoBackup);
        Assert.Equal(jobs.Select(j => j.Item1).Order(StringComparer.Ordinal), jobs.Select(j => j.Item1));

        try
        {
            Assert.Equal(HttpStatusCode.OK, (await Superuser.PatchJsonAsync("/api/settings", new { backups = new { cron = "15 2 * * *", cronMaxKeep = 2 } })).Status);
            (_, body) = await Superuser.GetJsonAsync("/api/crons");
            Assert.Contains(body!.AsArray(), j => j!["id"]!.GetValue<string>() == CronJobs.AutoBackup && j["expression"]!.GetValue<string>() == "15 2 * * *");

            var (invalid, error) = await Superuser.PatchJsonAsync("/api/settings", new { backups = new { cron = "99 * * * *" } });
            Assert.Equal(HttpStatusCode.BadRequest, invalid);
            Assert.Equal("validation_invalid_cron", error!["data"]!["backups"]!["cron"]!["code"]!.GetValue<string>());
        }
        finally
        {
            await Superuser.PatchJsonAsync("/api/settings", new { backups = new { cron = "" } });
        }
    }

    [Fact]
    public async Task Running_a_job_by_hand_answers_204_and_an_unknown_one_404()
    {
        var (status, _) = await Superuser.PostJsonAsync("/api/crons/__pbOTPCleanup__", new { });
        Assert.Equal(HttpStatusCode.NoContent, status);
        await Server.Logs.WaitForAsync(BasaltEventIds.CronJobFinished, e => e.Message.Contains("__pbOTPCleanup__", StringComparison.Ordinal));

        var (missing, body) = await Superuser.PostJsonAsync("/api/crons/nosuchjob", new { });
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal(404, body!["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_scheduled_backup_keeps_cronMaxKeep_scheduled_backups_and_never_deletes_one_made_by_hand()
    {
        var manual = await CreateBackupAsync();
        var folder = Path.Combine(Server.DataDir, "backups");
        var old = new[] { "@auto_pb_backup_old_20200101000000.zip", "@auto_pb_backup_old_20200102000000.zip", "@auto_pb_backup_old_20200103000000.zip" };
        for (var i = 0; i < old.Length; i++)
        {
            System.IO.File.Copy(Path.Combine(folder, manual), Path.Combine(folder, old[i]));
            System.IO.File.SetLastWriteTimeUtc(Path.Combine(folder, old[i]), new DateTime(2020, 1, 1 + i, 0, 0, 0, DateTimeKind.Utc));
        }

        try
        {
            await Superuser.PatchJsonAsync("/api/settings", new { backups = new { cron = "0 4 * * *", cronMaxKeep = 2 } });
            var (status, _) = await Superuser.PostJsonAsync($"/api/crons/{CronJobs.AutoBackup}", new { });
            Assert.Equal(HttpStatusCode.NoContent, status);
            await Server.Logs.WaitForAsync(BasaltEventIds.CronJobFinished, e => e.Message.Contains(CronJobs.AutoBackup, StringComparison.Ordinal));
        }
        finally
        {
            await Superuser.PatchJsonAsync("/api/settings", new { backups = new { cron = "" } });
        }

        var keys = await BackupKeysAsync();
        var scheduled = keys.Where(k => k.StartsWith(BackupNames.AutoPrefix, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, scheduled.Count);
        Assert.Contains(old[2], scheduled);
        Assert.Contains(manual, keys);
    }

    [Fact]
    public async Task A_failed_scheduled_backup_is_logged_and_mailed_to_the_superusers()
    {
        await using var smtp = new SmtpTestServer();
        await OtpTestFlows.UseSmtpAsync(Server, smtp);
        try
        {
            // Nothing listens on port 9: the backup's storage cannot be reached.
            var (patched, body) = await Superuser.PatchJsonAsync("/api/settings", new
            {
                backups = new
                {
                    cron = "0 4 * * *",
                    s3 = new { enabled = true, bucket = "b", region = "us-east-1", endpoint = "http://127.0.0.1:9", accessKey = "k", secret = "s", forcePathStyle = true },
                },
            });
            Assert.True(patched == HttpStatusCode.OK, body?.ToJsonString());
            Assert.Equal(HttpStatusCode.NoContent, (await Superuser.PostJsonAsync($"/api/crons/{CronJobs.AutoBackup}", new { })).Status);

            var mail = await smtp.WaitForAsync(BasaltServerFixture.SuperuserEmail, TimeSpan.FromSeconds(120));
            Assert.Contains("scheduled backup", mail.Parse().Subject, StringComparison.Ordinal);
            await Server.Logs.WaitForAsync(BasaltEventIds.ScheduledBackupFailed);
        }
        finally
        {
            await Superuser.PatchJsonAsync("/api/settings", new { backups = new { cron = "", s3 = new { enabled = false } }, smtp = new { enabled = false } });
        }
    }

    [Fact]
    public async Task A_tick_runs_the_jobs_due_that_minute_unless_the_node_gate_says_another_node_runs_them()
    {
        var hourly = new CronJob("t", "0 * * * *", _ => Task.CompletedTask);
        Assert.True(Scheduler.IsDue(hourly, new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.Zero)));
        Assert.False(Scheduler.IsDue(hourly, new DateTimeOffset(2026, 1, 1, 10, 1, 0, TimeSpan.Zero)));
        Assert.True(Scheduler.IsDue(new CronJob("d", "@daily", _ => Task.CompletedTask), new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero)));
        Assert.True(Scheduler.IsDue(new CronJob("s", "*/15 9-17 * * 1-5", _ => Task.CompletedTask), new DateTimeOffset(2026, 12, 4, 9, 45, 0, TimeSpan.Zero)));
        Assert.False(Scheduler.IsDue(new CronJob("s", "*/15 9-17 * * 1-5", _ => Task.CompletedTask), new DateTimeOffset(2026, 12, 5, 9, 45, 0, TimeSpan.Zero)));

        var ran = await Scheduler.TickAsync(new DateTimeOffset(2026, 1, 1, 3, 30, 0, TimeSpan.Zero), CancellationToken.None);
        _ = Assert.Single(ran);
        await Task.WhenAll(ran);
        ran = await Scheduler.TickAsync(new DateTimeOffset(2026, 1, 1, 11, 0, 0, TimeSpan.Zero), CancellationToken.None);
        Assert.Equal(3, ran.Count);
        await Task.WhenAll(ran);
        Assert.Empty(await Scheduler.TickAsync(new DateTimeOffset(2026, 1, 1, 11, 7, 0, TimeSpan.Zero), CancellationToken.None));

        var elsewhere = new CronScheduler(
            Server.Services.GetRequiredService<CronJobs>(), new OtherNodeGate(), TimeProvider.System, Server.Services.GetRequiredService<ILogger<CronScheduler>>());
        Assert.Empty(await elsewhere.TickAsync(new DateTimeOffset(2026, 1, 1, 11, 0, 0, TimeSpan.Zero), CancellationToken.None));
    }

    /// <summary>A gate of a node that never wins the lease.</summary>
    private sealed class OtherNodeGate : ICronNodeGate
    {
        public ValueTask<bool> ShouldRunAsync(string jobId, DateTimeOffset occurrence, CancellationToken cancellationToken) => ValueTask.FromResult(false);
    }
}

public sealed class CronSqliteTests(SqliteServerFixture f) : CronTests(f), IClassFixture<SqliteServerFixture>;

public sealed class CronPostgresTests(PostgresServerFixture f) : CronTests(f), IClassFixture<PostgresServerFixture>;
