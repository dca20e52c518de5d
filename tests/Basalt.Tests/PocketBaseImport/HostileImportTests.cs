using System.Net;
using Basalt.Collections;
using Basalt.Files;
using Basalt.PocketBaseImport;
using Basalt.Tests.Fixtures;
using Microsoft.Data.Sqlite;

namespace Basalt.Tests.PocketBaseImport;

/// <summary>
/// Imports that must not happen: a folder that is not PocketBase's, a damaged database, names and file names that try to
/// reach outside their place, a collection Basalt already holds records in. Each fails with a reason a person can act
/// on, and afterwards Basalt holds exactly what it held before (collections, superusers, stored files). A dry run writes
/// nothing either.
/// </summary>
public abstract class HostileImportTests(BasaltServerFixture server, PocketBaseLegacyApp legacy)
{
    [Fact]
    public async Task A_folder_without_a_PocketBase_database_is_refused()
    {
        var empty = Directory.CreateTempSubdirectory("basalt-not-pb-").FullName;
        try
        {
            var e = await Assert.ThrowsAsync<ImportFailedException>(() => ImportSource.OpenAsync(empty, CancellationToken.None));
            Assert.Contains("is not a PocketBase data folder: it has no data.db", e.Message, StringComparison.Ordinal);

            await File.WriteAllTextAsync(Path.Combine(empty, "data.db"), "this is a text file, not a database");
            e = await Assert.ThrowsAsync<ImportFailedException>(() => ImportSource.OpenAsync(empty, CancellationToken.None));
            Assert.Contains("is not a SQLite database", e.Message, StringComparison.Ordinal);

            File.Delete(Path.Combine(empty, "data.db"));
            await using (var connection = new SqliteConnection($"Data Source={Path.Combine(empty, "data.db")};Pooling=False"))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = "CREATE TABLE things (id TEXT)";
                await command.ExecuteNonQueryAsync();
            }

            e = await Assert.ThrowsAsync<ImportFailedException>(() => ImportSource.OpenAsync(empty, CancellationToken.None));
            Assert.Contains("has no _collections and _params tables", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Fact]
    public async Task A_damaged_database_is_refused_before_anything_is_written()
    {
        var copy = legacy.CopyFolder();
        var path = Path.Combine(copy, "data.db");
        var bytes = await File.ReadAllBytesAsync(path);
        for (var i = 4096; i < bytes.Length - 4096; i += 3)
        {
            bytes[i] = 0xA5;
        }

        await File.WriteAllBytesAsync(path, bytes);
        var before = await SnapshotAsync();

        var e = await Assert.ThrowsAsync<ImportFailedException>(async () => await ImportAsync(copy));

        Assert.Contains("data.db", e.Message, StringComparison.Ordinal);
        Assert.Matches("damaged|not a SQLite database|could not be read|malformed", e.Message);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Theory]
    [InlineData("notes\"; DROP TABLE _collections; --")]
    [InlineData("../../escape")]
    public async Task A_collection_name_that_is_not_a_word_is_refused(string name)
    {
        using var folder = new CurrentFolder(notesName: name);
        var before = await SnapshotAsync();

        var e = await Assert.ThrowsAsync<ImportFailedException>(async () => await ImportAsync(folder.Folder));

        Assert.Contains("is not a valid name", e.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was imported", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Theory]
    [InlineData("../../../../etc/passwd")]
    [InlineData("..")]
    public async Task A_file_name_that_climbs_out_of_its_folder_is_refused(string fileName)
    {
        using var folder = new CurrentFolder(attachmentName: fileName);
        var before = await SnapshotAsync();

        var e = await Assert.ThrowsAsync<ImportFailedException>(async () => await ImportAsync(folder.Folder));

        Assert.Contains("which is not a plain file name", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task A_stored_file_that_is_a_link_is_refused()
    {
        using var folder = new CurrentFolder(linkAttachment: true);
        var before = await SnapshotAsync();

        var e = await Assert.ThrowsAsync<ImportFailedException>(async () => await ImportAsync(folder.Folder));

        Assert.Contains("is a symbolic link", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task An_attributes_file_that_is_a_link_is_not_read()
    {
        // A link could name /dev/zero (read forever) or any file; this one names a file whose MD5 would fail the copy.
        using var folder = new CurrentFolder();
        var attributes = Path.Combine(folder.Folder, "storage", folder.NotesId, CurrentFolder.NoteId, folder.AttachmentName + ".attrs");
        var outside = Path.Combine(folder.Folder, "outside.attrs");
        File.WriteAllText(outside, """{"md5":"AAAAAAAAAAAAAAAAAAAAAA=="}""");
        File.Delete(attributes);
        File.CreateSymbolicLink(attributes, outside);

        await using var source = await ImportSource.OpenAsync(folder.Folder, CancellationToken.None);
        var plan = await server.Services.GetRequiredService<PocketBaseImporter>().PlanAsync(source, CancellationToken.None);

        var planned = plan.Files.Single(f => f.Key.EndsWith("/" + folder.AttachmentName, StringComparison.Ordinal));
        Assert.Null(planned.Md5);
        Assert.NotEqual("", planned.ContentType);
    }

    [Fact]
    public async Task A_file_that_fails_its_checksum_after_rows_and_files_were_written_rolls_everything_back()
    {
        using var folder = new CurrentFolder(damagedSecond: true);
        var before = await SnapshotAsync();

        var e = await Assert.ThrowsAsync<ImportFailedException>(async () => await ImportAsync(folder.Folder));

        Assert.Contains("does not match the checksum PocketBase recorded", e.Message, StringComparison.Ordinal);
        Assert.Contains(CurrentFolder.SecondAttachmentName, e.Message, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());
        var (status, _) = await server.Guest.GetJsonAsync($"/api/collections/{folder.NotesName}/records");
        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Fact]
    public async Task A_collection_Basalt_already_holds_records_in_stops_the_import()
    {
        using var folder = new CurrentFolder();
        var (created, body) = await server.Superuser.PostJsonAsync("/api/collections", new
        {
            name = folder.NotesName,
            type = "base",
            fields = new[] { new { name = "title", type = "text" } },
        });
        Assert.True(created == HttpStatusCode.OK, body?.ToJsonString());
        var (added, _) = await server.Superuser.PostJsonAsync($"/api/collections/{folder.NotesName}/records", new { title = "mine" });
        Assert.Equal(HttpStatusCode.OK, added);
        var before = await SnapshotAsync();

        var e = await Assert.ThrowsAsync<ImportFailedException>(async () => await ImportAsync(folder.Folder));

        Assert.Contains($"Basalt already has a collection \"{folder.NotesName}\"", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task A_dry_run_reports_the_changes_and_writes_nothing()
    {
        var before = await SnapshotAsync();
        await using var source = await ImportSource.OpenAsync(legacy.Folder, CancellationToken.None);

        var plan = await server.Services.GetRequiredService<PocketBaseImporter>().PlanAsync(source, CancellationToken.None);

        var report = string.Join('\n', plan.Describe());
        Assert.Contains("create base \"posts\"", report, StringComparison.Ordinal);
        Assert.Contains("create view \"post_authors\"", report, StringComparison.Ordinal);
        Assert.Contains("add to _superusers: 1 record", report, StringComparison.Ordinal);
        Assert.Contains("Files: 4 files", report, StringComparison.Ordinal);
        Assert.Contains("lastResetSentAt", report, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());
    }

    private async Task<ImportSummary> ImportAsync(string folder)
    {
        await using var source = await ImportSource.OpenAsync(folder, CancellationToken.None);
        var importer = server.Services.GetRequiredService<PocketBaseImporter>();
        return await importer.RunAsync(await importer.PlanAsync(source, CancellationToken.None), source, null, CancellationToken.None);
    }

    /// <summary>What an import could change: the collections (as stored, secrets included), the superusers, the stored files.</summary>
    private async Task<string> SnapshotAsync()
    {
        var collections = server.Services.GetRequiredService<CollectionService>();
        await collections.LoadAsync(CancellationToken.None);
        var stored = string.Join('\n', server.Services.GetRequiredService<CollectionCache>().All
            .Select(c => CollectionJson.Write(c, includeSecrets: true).ToJsonString()).Order(StringComparer.Ordinal));
        var (_, superusers) = await server.Superuser.GetJsonAsync("/api/collections/_superusers/records?sort=id");
        var storage = await server.Services.GetRequiredService<FileStorageProvider>().GetAsync(CancellationToken.None);
        var files = new List<string>();
        await foreach (var file in storage.ListAsync("", CancellationToken.None))
        {
            files.Add(file.Key);
        }

        files.Sort(StringComparer.Ordinal);
        return stored + "\n" + superusers?["items"]?.ToJsonString() + "\n" + string.Join('\n', files);
    }
}

public sealed class HostileImportSqliteTests(SqliteServerFixture f, PocketBaseLegacyApp legacy)
    : HostileImportTests(f, legacy), IClassFixture<SqliteServerFixture>, IClassFixture<PocketBaseLegacyApp>;

public sealed class HostileImportPostgresTests(PostgresServerFixture f, PocketBaseLegacyApp legacy)
    : HostileImportTests(f, legacy), IClassFixture<PostgresServerFixture>, IClassFixture<PocketBaseLegacyApp>;
