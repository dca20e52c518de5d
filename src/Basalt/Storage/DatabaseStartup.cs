using Microsoft.Extensions.Hosting;

namespace Basalt.Storage;

/// <summary>Creates or upgrades the system tables before the server takes requests.</summary>
internal sealed class DatabaseStartup(IDatabase database) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => database.InitializeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
