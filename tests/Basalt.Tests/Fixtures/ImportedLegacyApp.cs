using Basalt.PocketBaseImport;

namespace Basalt.Tests.Fixtures;

/// <summary>
/// A fresh Basalt of the chosen kind into which the PocketBase 0.22 app of <see cref="PocketBaseLegacyApp"/> was
/// imported once, through the same service <c>basalt import</c> runs. The import replaces the superusers' token secret
/// with PocketBase's, so the server's own superuser signs in again (<see cref="SuperuserAsync"/>).
/// </summary>
public sealed class ImportedLegacyApp<TServer> : IAsyncLifetime
    where TServer : BasaltServerFixture, new()
{
    public TServer Server { get; } = new();

    public PocketBaseLegacyApp App { get; } = new();

    public ImportPlan Plan { get; private set; } = new("");

    public ImportSummary Summary { get; private set; } = new(0, 0, 0, 0, 0, TimeSpan.Zero, []);

    public async Task InitializeAsync()
    {
        await App.InitializeAsync();
        await Server.InitializeAsync();
        await using var source = await ImportSource.OpenAsync(App.Folder, CancellationToken.None);
        var importer = Server.Services.GetRequiredService<PocketBaseImporter>();
        Plan = await importer.PlanAsync(source, CancellationToken.None);
        Summary = await importer.RunAsync(Plan, source, null, CancellationToken.None);
    }

    public Task<HttpClient> SuperuserAsync() =>
        Server.SignInAsync(Basalt.Model.SystemCollections.Superusers, BasaltServerFixture.SuperuserEmail, BasaltServerFixture.SuperuserPassword);

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await App.DisposeAsync();
    }
}
