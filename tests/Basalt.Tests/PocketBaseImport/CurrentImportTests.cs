using System.Net;
using Basalt.Model;
using Basalt.PocketBaseImport;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.PocketBaseImport;

/// <summary>A fresh Basalt into which a v0.23+ PocketBase data folder (<see cref="CurrentFolder"/>) was imported once.</summary>
public sealed class ImportedCurrentApp<TServer> : IAsyncLifetime
    where TServer : BasaltServerFixture, new()
{
    internal CurrentFolder App { get; } = new();

    public TServer Server { get; } = new();

    public ImportSummary Summary { get; private set; } = new(0, 0, 0, 0, 0, TimeSpan.Zero, []);

    public async Task InitializeAsync()
    {
        await Server.InitializeAsync();
        await using var source = await ImportSource.OpenAsync(App.Folder, CancellationToken.None);
        var importer = Server.Services.GetRequiredService<PocketBaseImporter>();
        Summary = await importer.RunAsync(await importer.PlanAsync(source, CancellationToken.None), source, null, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        App.Dispose();
    }
}

/// <summary>
/// The v0.23+ layout (<c>_collections</c> with <c>fields</c>, <c>_superusers</c>, <c>_params</c> by id), built from the
/// reference: tokens PocketBase 0.23 signed are accepted after the import, passwords and files come across, OAuth2
/// links are kept and short-lived MFA sessions are not.
/// </summary>
public abstract class CurrentImportTests<TServer>(ImportedCurrentApp<TServer> imported)
    where TServer : BasaltServerFixture, new()
{
    private CurrentFolder App => imported.App;

    private TServer Server => imported.Server;

    [Fact]
    public async Task A_user_token_PocketBase_signed_is_accepted_and_passes_the_rules_as_that_user()
    {
        using var carol = Server.NewClient(App.UserToken());
        var (status, page) = await carol.GetJsonAsync($"/api/collections/{App.NotesName}/records");
        Assert.True(status == HttpStatusCode.OK, page?.ToJsonString());
        var note = Assert.Single(page!["items"]!.AsArray());
        Assert.Equal(CurrentFolder.NoteId, note!["id"]!.GetValue<string>());

        var (refreshed, body) = await carol.PostJsonAsync("/api/collections/users/auth-refresh", null);
        Assert.True(refreshed == HttpStatusCode.OK, body?.ToJsonString());
        Assert.Equal(CurrentFolder.UserId, body!["record"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_superuser_token_PocketBase_signed_is_accepted()
    {
        using var root = Server.NewClient(App.SuperuserToken());
        var (status, settings) = await root.GetJsonAsync("/api/settings");
        Assert.True(status == HttpStatusCode.OK, settings?.ToJsonString());
        Assert.Equal(CurrentFolder.AppName, settings!["meta"]!["appName"]!.GetValue<string>());
        Assert.True(settings["batch"]!["enabled"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_token_signed_with_another_secret_is_refused()
    {
        using var forged = Server.NewClient(CurrentFolder.SignAuthToken(CurrentFolder.UserId, CurrentFolder.UsersId, App.UserTokenKey, App.SuperusersSecret, TimeSpan.FromHours(1)));
        var (status, _) = await forged.PostJsonAsync("/api/collections/users/auth-refresh", null);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task Users_and_superusers_sign_in_with_their_passwords()
    {
        using var carol = await Server.SignInAsync("users", CurrentFolder.UserEmail, CurrentFolder.UserPassword);
        using var root = await Server.SignInAsync(SystemCollections.Superusers, CurrentFolder.SuperuserEmail, CurrentFolder.SuperuserPassword);
        var (status, links) = await root.GetJsonAsync("/api/collections/_externalAuths/records");
        Assert.True(status == HttpStatusCode.OK, links?.ToJsonString());
        var link = Assert.Single(links!["items"]!.AsArray());
        Assert.Equal("g-123", link!["providerId"]!.GetValue<string>());
        var (_, mfas) = await root.GetJsonAsync("/api/collections/_mfas/records");
        Assert.Empty(mfas!["items"]!.AsArray());
        Assert.Contains(imported.Summary.Notes, n => n.Subject == "collection \"_mfas\"");
    }

    [Fact]
    public async Task Files_are_served_and_checked_against_PocketBase_checksums()
    {
        using var response = await Server.Guest.GetAsync($"/api/files/{App.NotesId}/{CurrentFolder.NoteId}/{App.AttachmentName}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(App.Attachment, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, imported.Summary.Files);
    }
}

public sealed class CurrentImportSqliteTests(ImportedCurrentApp<SqliteServerFixture> f)
    : CurrentImportTests<SqliteServerFixture>(f), IClassFixture<ImportedCurrentApp<SqliteServerFixture>>;

public sealed class CurrentImportPostgresTests(ImportedCurrentApp<PostgresServerFixture> f)
    : CurrentImportTests<PostgresServerFixture>(f), IClassFixture<ImportedCurrentApp<PostgresServerFixture>>;
