using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Basalt.Migrations;

/// <summary>
/// Applies the pending migrations of the folder when the host starts, before it takes requests (<c>serve</c> does this
/// unless <c>--migrate off</c>). A migration that fails stops the start: a server must not run on half a schema.
/// A missing or empty folder costs one directory check.
/// </summary>
internal sealed class MigrationsAtStart(MigrationService migrations, MigrationOptions options, ILogger<MigrationsAtStart> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.ApplyAtStart || !Directory.Exists(migrations.Folder) || !Directory.EnumerateFiles(migrations.Folder, "*.json").Any())
        {
            return;
        }

        var applied = await migrations.UpAsync(cancellationToken);
        if (applied.Count > 0)
        {
            Log.MigrationsAppliedAtStart(logger, applied.Count, migrations.Folder);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
