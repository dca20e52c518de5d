using System.Net;
using System.Text.Json.Nodes;
using Basalt.Model;
using Basalt.PocketBaseImport;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.PocketBaseImport;

/// <summary>
/// <c>basalt export</c> then <c>basalt import</c> into another, empty Basalt: the second one answers as the first did,
/// records, passwords, files, settings and the tokens PocketBase once issued included. Nothing is locked in.
/// </summary>
public abstract class ExportRoundTripTests<TServer>(ImportedLegacyApp<TServer> imported)
    where TServer : BasaltServerFixture, new()
{
    [Fact]
    public async Task An_export_imported_into_an_empty_Basalt_gives_the_same_answers()
    {
        var folder = Path.Combine(Path.GetTempPath(), "basalt-export-" + Guid.NewGuid().ToString("N")[..10]);
        var second = new TServer();
        try
        {
            var exported = await imported.Server.Services.GetRequiredService<BasaltExporter>().ExportAsync(folder, null, CancellationToken.None);
            Assert.True(File.Exists(Path.Combine(folder, ExportLayout.Manifest)));
            Assert.Equal(4, exported.Files);

            await second.InitializeAsync();
            await using (var source = await ImportSource.OpenAsync(folder, CancellationToken.None))
            {
                var importer = second.Services.GetRequiredService<PocketBaseImporter>();
                var plan = await importer.PlanAsync(source, CancellationToken.None);
                var summary = await importer.RunAsync(plan, source, null, CancellationToken.None);
                Assert.Equal(exported.Records, summary.Records);
            }

            using var first = await imported.SuperuserAsync();
            using var admin = await second.SignInAsync(SystemCollections.Superusers, PocketBaseLegacyApp.AdminEmail, PocketBaseLegacyApp.AdminPassword);
            foreach (var url in new[]
            {
                "/api/collections/posts/records?sort=id",
                "/api/collections/comments/records?sort=id&expand=post",
                "/api/collections/users/records?sort=id",
                "/api/collections/post_authors/records?sort=id",
            })
            {
                var (a, before) = await first.GetJsonAsync(url);
                var (b, after) = await admin.GetJsonAsync(url);
                Assert.Equal(HttpStatusCode.OK, a);
                Assert.True(b == HttpStatusCode.OK, after?.ToJsonString());
                Assert.True(JsonNode.DeepEquals(before!["items"], after!["items"]), $"{url}\n{before["items"]!.ToJsonString()}\n{after["items"]!.ToJsonString()}");
            }

            var app = imported.App;
            using (var alice = second.NewClient(app.AliceToken))
            {
                var (refreshed, _) = await alice.PostJsonAsync("/api/collections/users/auth-refresh", null);
                Assert.Equal(HttpStatusCode.OK, refreshed);
            }

            await second.SignInAsync("users", PocketBaseLegacyApp.Bob.Email, PocketBaseLegacyApp.Bob.Password);
            using var thumb = await second.Guest.GetAsync($"/api/files/posts/{app.Post["id"]}/{app.ImageName}?thumb=50x50");
            Assert.Equal(app.Thumb, await thumb.Content.ReadAsByteArrayAsync());
            var (_, settings) = await admin.GetJsonAsync("/api/settings");
            Assert.Equal(PocketBaseLegacyApp.AppName, settings!["meta"]!["appName"]!.GetValue<string>());
        }
        finally
        {
            await second.DisposeAsync();
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public async Task An_export_refuses_a_folder_that_is_not_empty_and_leaves_it_alone()
    {
        var folder = Directory.CreateTempSubdirectory("basalt-export-busy-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "keep.txt"), "mine");
            var e = await Assert.ThrowsAsync<ImportFailedException>(() => imported.Server.Services.GetRequiredService<BasaltExporter>().ExportAsync(folder, null, CancellationToken.None));
            Assert.Contains("is not empty", e.Message, StringComparison.Ordinal);
            Assert.Equal(["keep.txt"], Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

public sealed class ExportRoundTripSqliteTests(ImportedLegacyApp<SqliteServerFixture> f)
    : ExportRoundTripTests<SqliteServerFixture>(f), IClassFixture<ImportedLegacyApp<SqliteServerFixture>>;

public sealed class ExportRoundTripPostgresTests(ImportedLegacyApp<PostgresServerFixture> f)
    : ExportRoundTripTests<PostgresServerFixture>(f), IClassFixture<ImportedLegacyApp<PostgresServerFixture>>;
