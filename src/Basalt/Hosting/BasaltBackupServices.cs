using Basalt.Backups;
using Basalt.Crons;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Basalt.Hosting;

/// <summary>
/// Registers backups (the service, where archives are stored, the scheduled backup) and the cron jobs with their
/// scheduler; a host may register its own <see cref="ICronNodeGate"/> first (several nodes: one runs each job).
/// </summary>
public static class BasaltBackupServices
{
    public static IServiceCollection AddBasaltBackupsAndCrons(this IServiceCollection services)
    {
        services.AddOptions<BackupOptions>().Configure<IOptions<BasaltOptions>>((backups, basalt) => backups.DataDir = basalt.Value.DataDir);
        services.AddSingleton<BackupStorageProvider>();
        services.AddSingleton<BackupService>();
        services.AddSingleton<ScheduledBackups>();
        services.TryAddSingleton<ICronNodeGate, ClusterCronGate>();
        services.AddSingleton<CronJobs>();
        services.AddSingleton<CronScheduler>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<IOptions<BasaltOptions>>().Value.CronJobs
            ? sp.GetRequiredService<CronScheduler>()
            : new NoHostedService());
        return services;
    }

    /// <summary>Stands in for the scheduler when cron jobs are off, so the registration does not depend on options read later.</summary>
    private sealed class NoHostedService : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
