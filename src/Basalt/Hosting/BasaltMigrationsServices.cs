using Basalt.Collections;
using Basalt.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Basalt.Hosting;

/// <summary>Registers migrations as code: the service behind <c>basalt migrate</c>, the automigrate journal, and applying pending migrations at start.</summary>
internal static class BasaltMigrationsServices
{
    public static IServiceCollection AddBasaltMigrations(this IServiceCollection services)
    {
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<BasaltOptions>>().Value.ToMigrations());
        services.AddSingleton<MigrationService>();
        services.AddSingleton<ICollectionChangeJournal, AutoMigrationJournal>();

        // Registered after the collections' start-up (system tables, then system collections), so it runs after them.
        services.AddHostedService<MigrationsAtStart>();
        return services;
    }
}
