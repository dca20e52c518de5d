using Basalt.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Basalt.Hosting;

/// <summary>
/// Logs that the server is listening (once the host has started, so the addresses are the bound ones, port 0
/// resolved) and that it is stopping. A host without an HTTP server (the CLI's <c>superuser</c> command) logs neither.
/// </summary>
internal sealed class LifecycleLog(IServiceProvider services, IHostApplicationLifetime lifetime, IOptions<BasaltOptions> options, ILogger<LifecycleLog> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<IServer>() is { } server)
        {
            lifetime.ApplicationStarted.Register(() => LogStarted(server));
            lifetime.ApplicationStopping.Register(() => Log.Stopping(logger));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void LogStarted(IServer server)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var (kind, location, durability) = DatabaseFactory.Describe(services.GetRequiredService<IDatabase>());
        Log.Started(logger, string.Join(", ", addresses), kind, location, durability, Path.GetFullPath(options.Value.DataDir));
    }
}
