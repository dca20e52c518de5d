using System.Net;
using System.Text.Json.Nodes;
using Basalt.Collections;
using Basalt.Model;
using Basalt.Storage;
using Basalt.Storage.Tables;
using Basalt.Tests.Fixtures;
using Microsoft.Data.Sqlite;

namespace Basalt.Tests.PocketBaseImport;

/// <summary>
/// A data folder made by the real PocketBase 0.22.20, imported into Basalt (<c>basalt import pocketbase</c>): users and
/// admins sign in with their old passwords, tokens PocketBase issued still work, records keep ids, dates, values,
/// hashes and token keys byte for byte, files and PocketBase's own thumbs are served, and collections, rules, indexes,
/// views and settings come across.
/// </summary>
public abstract class LegacyImportTests<TServer>(ImportedLegacyApp<TServer> imported)
    where TServer : BasaltServerFixture, new()
{
    private PocketBaseLegacyApp App => imported.App;

    private TServer Server => imported.Server;

    [Fact]
    public async Task Users_sign_in_with_their_PocketBase_passwords_by_username_or_email()
    {
        foreach (var identity in new[] { PocketBaseLegacyApp.Alice.Username, PocketBaseLegacyApp.Alice.Email })
        {
            var (status, body) = await Server.Guest.PostJsonAsync("/api/collections/users/auth-with-password", new { identity, password = PocketBaseLegacyApp.Alice.Password });
            Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
            Assert.Equal(App.AliceId, body!["record"]!["id"]!.GetValue<string>());
        }

        var (bob, _) = await Server.Guest.PostJsonAsync("/api/collections/users/auth-with-password", new { identity = PocketBaseLegacyApp.Bob.Email, password = PocketBaseLegacyApp.Bob.Password });
        Assert.Equal(HttpStatusCode.OK, bob);
        var (wrong, _) = await Server.Guest.PostJsonAsync("/api/collections/users/auth-with-password", new { identity = PocketBaseLegacyApp.Bob.Email, password = PocketBaseLegacyApp.Alice.Password });
        Assert.Equal(HttpStatusCode.BadRequest, wrong);
    }

    [Fact]
    public async Task Admins_sign_in_as_superusers_with_their_PocketBase_passwords()
    {
        using var admin = await Server.SignInAsync(SystemCollections.Superusers, PocketBaseLegacyApp.AdminEmail, PocketBaseLegacyApp.AdminPassword);
        var (status, body) = await admin.GetJsonAsync("/api/collections/posts");
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        Assert.Equal(App.PostsId, body!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Tokens_PocketBase_issued_to_users_and_admins_stay_valid()
    {
        using var alice = Server.NewClient(App.AliceToken);
        var (refreshed, body) = await alice.PostJsonAsync("/api/collections/users/auth-refresh", null);
        Assert.True(refreshed == HttpStatusCode.OK, body?.ToJsonString());
        Assert.Equal(App.AliceId, body!["record"]!["id"]!.GetValue<string>());

        using var admin = Server.NewClient(App.AdminToken);
        var (listed, collections) = await admin.GetJsonAsync("/api/collections?perPage=200");
        Assert.True(listed == HttpStatusCode.OK, collections?.ToJsonString());

        // The user's old token passes the record rules as that user: only a token of the owner may update the post.
        var (updated, _) = await alice.PatchJsonAsync($"/api/collections/posts/records/{App.Post["id"]}", new { ratio = 0.5 });
        Assert.Equal(HttpStatusCode.OK, updated);
    }

    [Fact]
    public async Task Records_keep_their_ids_dates_and_values()
    {
        using var superuser = await imported.SuperuserAsync();
        var (status, body) = await superuser.GetJsonAsync($"/api/collections/comments/records/{App.Comment["id"]}?expand=post");
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        foreach (var key in new[] { "id", "created", "updated", "post", "text" })
        {
            Assert.Equal(App.Comment[key]!.ToJsonString(), body![key]!.ToJsonString());
        }

        var post = body!["expand"]!["post"]!;
        foreach (var key in new[] { "id", "created", "title", "body", "count", "flag", "tags", "author", "files", "when", "site", "contact" })
        {
            Assert.Equal(App.Post[key]!.ToJsonString(), post[key]!.ToJsonString());
        }

        Assert.True(JsonNode.DeepEquals(App.Post["meta"], post["meta"]), post["meta"]?.ToJsonString());
    }

    [Fact]
    public async Task List_totals_count_the_imported_records()
    {
        // Totals of unfiltered lists come from the kept row counts, which the import's bulk insert must set.
        using var superuser = await imported.SuperuserAsync();
        var (status, body) = await superuser.GetJsonAsync("/api/collections/comments/records");
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        Assert.Equal(body!["items"]!.AsArray().Count, body["totalItems"]!.GetValue<int>());
        Assert.True(body["totalItems"]!.GetValue<int>() > 0, body.ToJsonString());
    }

    [Fact]
    public async Task Password_hashes_and_token_keys_are_the_bytes_PocketBase_stored()
    {
        var stored = new Dictionary<string, (string Hash, string TokenKey)>(StringComparer.Ordinal);
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(App.Folder, "data.db")};Mode=ReadOnly;Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT id, passwordHash, tokenKey FROM users UNION ALL SELECT id, passwordHash, tokenKey FROM _admins";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                stored[reader.GetString(0)] = (reader.GetString(1), reader.GetString(2));
            }
        }

        var cache = Server.Services.GetRequiredService<CollectionCache>();
        var store = Server.Services.GetRequiredService<RecordStore>();
        var database = Server.Services.GetRequiredService<IDatabase>();
        var found = 0;
        foreach (var name in new[] { "users", SystemCollections.Superusers })
        {
            var collection = cache.Find(name)!;
            foreach (var (id, (hash, tokenKey)) in stored)
            {
                var record = await database.ReadAsync((c, ct) => store.FindByIdAsync(collection, id, c, null, ct), CancellationToken.None);
                if (record is not null)
                {
                    found++;
                    Assert.Equal(hash, record.GetString("password"));
                    Assert.Equal(tokenKey, record.GetString("tokenKey"));
                    Assert.StartsWith("$2a$", hash, StringComparison.Ordinal);
                }
            }
        }

        Assert.Equal(stored.Count, found);
    }

    [Fact]
    public async Task Files_and_the_thumbs_PocketBase_made_are_served_as_they_were()
    {
        var postId = App.Post["id"]!.GetValue<string>();
        Assert.Equal(App.Image, await DownloadAsync($"/api/files/posts/{postId}/{App.ImageName}"));
        Assert.Equal(App.Notes, await DownloadAsync($"/api/files/{App.PostsId}/{postId}/{App.NotesName}"));

        // PocketBase's thumb, byte for byte: carried over, not made again.
        Assert.Equal(App.Thumb, await DownloadAsync($"/api/files/posts/{postId}/{App.ImageName}?thumb=50x50"));

        using var superuser = await imported.SuperuserAsync();
        var (_, alice) = await superuser.GetJsonAsync($"/api/collections/users/records/{App.AliceId}");
        Assert.Equal(App.Image, await DownloadAsync($"/api/files/users/{App.AliceId}/{alice!["avatar"]!.GetValue<string>()}"));
    }

    [Fact]
    public async Task Collections_keep_their_ids_rules_indexes_and_auth_options()
    {
        using var superuser = await imported.SuperuserAsync();
        var (_, posts) = await superuser.GetJsonAsync("/api/collections/posts");
        Assert.Equal(App.PostsId, posts!["id"]!.GetValue<string>());
        Assert.Equal("@request.auth.id != \"\" && @request.body.author = @request.auth.id", posts["createRule"]!.GetValue<string>());
        Assert.Equal("author = @request.auth.id", posts["updateRule"]!.GetValue<string>());
        Assert.Null(posts["deleteRule"]);
        Assert.Contains(posts["indexes"]!.AsArray(), i => i!.GetValue<string>().Contains("idx_posts_title", StringComparison.Ordinal));
        Assert.Contains(posts["fields"]!.AsArray(), f => f!["name"]!.GetValue<string>() == "created" && f["type"]!.GetValue<string>() == "autodate");

        var (_, users) = await superuser.GetJsonAsync("/api/collections/users");
        Assert.Equal("_pb_users_auth_", users!["id"]!.GetValue<string>());
        Assert.Equal(["email", "username"], users["passwordAuth"]!["identityFields"]!.AsArray().Select(i => i!.GetValue<string>()));
        Assert.Equal(1209600, users["authToken"]!["duration"]!.GetValue<double>());
    }

    [Fact]
    public async Task Views_answer_from_the_imported_rows()
    {
        var (status, body) = await Server.Guest.GetJsonAsync("/api/collections/post_authors/records");
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        var row = Assert.Single(body!["items"]!.AsArray());
        Assert.Equal(App.Post["id"]!.GetValue<string>(), row!["id"]!.GetValue<string>());
        Assert.Equal(PocketBaseLegacyApp.Alice.Username, row["username"]!.GetValue<string>());
    }

    [Fact]
    public async Task Settings_come_across_and_the_summary_says_what_was_left_out()
    {
        using var superuser = await imported.SuperuserAsync();
        var (_, settings) = await superuser.GetJsonAsync("/api/settings");
        Assert.Equal(PocketBaseLegacyApp.AppName, settings!["meta"]!["appName"]!.GetValue<string>());
        Assert.Equal("https://legacy.example.com", settings["meta"]!["appURL"]!.GetValue<string>());
        Assert.Equal(PocketBaseLegacyApp.SmtpHost, settings["smtp"]!["host"]!.GetValue<string>());

        Assert.Equal(4, imported.Summary.Collections);
        Assert.Equal(1, imported.Summary.Superusers);
        Assert.Equal(4, imported.Summary.Files);
        Assert.Contains(imported.Summary.Notes, n => n.Subject == "collection \"users\"" && n.Reason.Contains("lastResetSentAt", StringComparison.Ordinal));
    }

    private async Task<byte[]> DownloadAsync(string url)
    {
        using var response = await Server.Guest.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode}");
        return await response.Content.ReadAsByteArrayAsync();
    }
}

public sealed class LegacyImportSqliteTests(ImportedLegacyApp<SqliteServerFixture> f)
    : LegacyImportTests<SqliteServerFixture>(f), IClassFixture<ImportedLegacyApp<SqliteServerFixture>>;

public sealed class LegacyImportPostgresTests(ImportedLegacyApp<PostgresServerFixture> f)
    : LegacyImportTests<PostgresServerFixture>(f), IClassFixture<ImportedLegacyApp<PostgresServerFixture>>;

public sealed class LegacyImportS3Tests(ImportedLegacyApp<SqliteS3ServerFixture> f)
    : LegacyImportTests<SqliteS3ServerFixture>(f), IClassFixture<ImportedLegacyApp<SqliteS3ServerFixture>>;
