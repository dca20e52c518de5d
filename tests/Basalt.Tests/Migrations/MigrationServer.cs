using Basalt.Hosting;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Migrations;

/// <summary>
/// One more Basalt on a fresh database of the given kind, with migrations options of its own: the laptop that makes a
/// schema, or the staging server that replays it. Started and disposed by the test that needs it.
/// </summary>
internal sealed class MigrationServer(StorageKind kind, string folder, bool automigrate, bool migrateAtStart = false) : BasaltServerFixture
{
    protected override StorageKind Kind => kind;

    public static async Task<MigrationServer> StartAsync(StorageKind kind, string folder, bool automigrate, bool migrateAtStart = false)
    {
        var server = new MigrationServer(kind, folder, automigrate, migrateAtStart);
        try
        {
            await server.InitializeAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    protected override void Configure(BasaltOptions options)
    {
        options.MigrationsDir = folder;
        options.Automigrate = automigrate;
        options.MigrateAtStart = migrateAtStart;
    }
}
