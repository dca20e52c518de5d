using System.Net;
using Basalt.Auth;
using Basalt.Files;
using Basalt.Model;
using Basalt.Tests.Auth;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Files;

/// <summary>Protected files (§9, §6): served only with a valid file token whose record passes the collection's viewRule.</summary>
public abstract class ProtectedFileTests(BasaltServerFixture fixture) : FilesTestBase(fixture)
{
    [Fact]
    public async Task The_token_endpoint_needs_a_signed_in_record_and_gives_a_file_token()
    {
        AssertError(HttpStatusCode.Unauthorized, await Guest.PostJsonAsync("/api/files/token", null));

        var (users, userId, client) = await CreateSignedInUserAsync();
        var (status, json) = await client.PostJsonAsync("/api/files/token", null);
        Assert.Equal(HttpStatusCode.OK, status);
        var claims = System.Text.Json.Nodes.JsonNode.Parse(Base64Url(json!["token"]!.GetValue<string>().Split('.')[1]))!;
        Assert.Equal("file", claims["type"]!.GetValue<string>());
        Assert.Equal(userId, claims["id"]!.GetValue<string>());
        Assert.Equal(Server.Services.GetRequiredService<ICollectionLookup>().Find(users)!.Id, claims["collectionId"]!.GetValue<string>());
        var lifetime = claims["exp"]!.GetValue<long>() - DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.InRange(lifetime, 150, 181);
    }

    [Fact]
    public async Task A_protected_file_needs_a_token_of_a_record_the_view_rule_admits()
    {
        var (users, ownerId, owner) = await CreateSignedInUserAsync();
        var usersId = Server.Services.GetRequiredService<ICollectionLookup>().Find(users)!.Id;
        var (name, _) = await CollectionAsync(
            $$"""[{"name":"owner","type":"relation","collectionId":"{{usersId}}","maxSelect":1},{"name":"doc","type":"file","protected":true}]""",
            """{"viewRule":"owner = @request.auth.id"}""");
        var (status, created) = await SendFormAsync(Superuser, HttpMethod.Post, Records(name), [File("doc", "secret.txt", Text("top secret"))], ("owner", ownerId));
        Assert.Equal(HttpStatusCode.OK, status);
        var url = FileUrl(name, created!["id"]!.GetValue<string>(), created["doc"]!.GetValue<string>());

        AssertError(HttpStatusCode.NotFound, await Guest.GetJsonAsync(url));
        AssertError(HttpStatusCode.NotFound, await owner.GetJsonAsync(url), null);

        var token = await TokenAsync(owner);
        using var allowed = await Guest.GetAsync(url + "?token=" + token);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("top secret", await allowed.Content.ReadAsStringAsync());
        Assert.Contains("private", allowed.Headers.CacheControl!.ToString(), StringComparison.Ordinal);

        // As PocketBase, the first of repeated token parameters counts (they are not joined into one value).
        Assert.Equal(HttpStatusCode.OK, (await Guest.GetAsync(url + "?token=" + token + "&token=garbage")).StatusCode);
        AssertError(HttpStatusCode.NotFound, await Guest.GetJsonAsync(url + "?token=garbage&token=" + token));

        var superToken = await TokenAsync(Superuser);
        Assert.Equal(HttpStatusCode.OK, (await Guest.GetAsync(url + "?token=" + superToken)).StatusCode);

        // A stranger's valid token, the owner's auth token and a tampered token are all refused alike.
        var stranger = await CreateUserInAsync(users);
        AssertError(HttpStatusCode.NotFound, await Guest.GetJsonAsync(url + "?token=" + await TokenAsync(stranger)));
        var authToken = owner.DefaultRequestHeaders.GetValues("Authorization").Single();
        AssertError(HttpStatusCode.NotFound, await Guest.GetJsonAsync(url + "?token=" + authToken));
        AssertError(HttpStatusCode.NotFound, await Guest.GetJsonAsync(url + "?token=" + token[..^2] + (token[^2] == 'A' ? "BB" : "AA")));
    }

    [Fact]
    public async Task Expired_tokens_and_tokens_of_a_rotated_key_are_refused()
    {
        var (users, ownerId, owner) = await CreateSignedInUserAsync();
        var (name, _) = await CollectionAsync("""[{"name":"doc","type":"file","protected":true}]""", """{"viewRule":"@request.auth.id != ''"}""");
        var created = await CreateWithFilesAsync(name, File("doc", "secret.txt", Text("top secret")));
        var url = FileUrl(name, created["id"]!.GetValue<string>(), created["doc"]!.GetValue<string>());

        var collections = Server.Services.GetRequiredService<ICollectionLookup>();
        var record = await Server.Services.GetRequiredService<AuthRecordStore>().FindByIdAsync(collections.Find(users)!, ownerId, CancellationToken.None);
        var expired = new FileTokens(new TokenService(new ManualClock(DateTimeOffset.UtcNow.AddMinutes(-4))), collections, Server.Services.GetRequiredService<AuthRecordStore>()).Create(record!);
        AssertError(HttpStatusCode.NotFound, await Guest.GetJsonAsync(url + "?token=" + expired));

        var token = await TokenAsync(owner);
        Assert.Equal(HttpStatusCode.OK, (await Guest.GetAsync(url + "?token=" + token)).StatusCode);
        var (status, _) = await owner.PatchJsonAsync(Records(users, ownerId), """{"oldPassword":"12345678","password":"87654321","passwordConfirm":"87654321"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        AssertError(HttpStatusCode.NotFound, await Guest.GetJsonAsync(url + "?token=" + token));
    }

    [Fact]
    public async Task A_protected_file_of_a_superuser_only_collection_needs_a_superuser_token()
    {
        var (_, _, user) = await CreateSignedInUserAsync();
        var (name, _) = await CollectionAsync("""[{"name":"doc","type":"file","protected":true}]""", """{"viewRule":null}""");
        var created = await CreateWithFilesAsync(name, File("doc", "secret.txt", Text("x")));
        var url = FileUrl(name, created["id"]!.GetValue<string>(), created["doc"]!.GetValue<string>());
        AssertError(HttpStatusCode.NotFound, await Guest.GetJsonAsync(url + "?token=" + await TokenAsync(user)));
        Assert.Equal(HttpStatusCode.OK, (await Guest.GetAsync(url + "?token=" + await TokenAsync(Superuser))).StatusCode);
    }

    [Fact]
    public async Task A_public_view_rule_serves_a_protected_file_without_a_token()
    {
        var (name, _) = await CollectionAsync("""[{"name":"doc","type":"file","protected":true}]""");
        var created = await CreateWithFilesAsync(name, File("doc", "open.txt", Text("x")));
        Assert.Equal(HttpStatusCode.OK, (await Guest.GetAsync(FileUrl(name, created["id"]!.GetValue<string>(), created["doc"]!.GetValue<string>()))).StatusCode);
    }

    private static async Task<string> TokenAsync(HttpClient client)
    {
        var (status, json) = await client.PostJsonAsync("/api/files/token", null);
        Assert.Equal(HttpStatusCode.OK, status);
        return json!["token"]!.GetValue<string>();
    }

    private async Task<HttpClient> CreateUserInAsync(string users)
    {
        var email = HttpJson.UniqueName("stranger") + "@example.com";
        await CreateRecordAsync(users, new { email, password = "12345678", passwordConfirm = "12345678" }, Guest);
        return await Server.SignInAsync(users, email, "12345678");
    }

    private static string Base64Url(string part) =>
        System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(part.Replace('-', '+').Replace('_', '/').PadRight(part.Length + ((4 - (part.Length % 4)) % 4), '=')));
}

public sealed class ProtectedFileSqliteTests(SqliteServerFixture f) : ProtectedFileTests(f), IClassFixture<SqliteServerFixture>;

public sealed class ProtectedFilePostgresTests(PostgresServerFixture f) : ProtectedFileTests(f), IClassFixture<PostgresServerFixture>;

public sealed class ProtectedFileSqliteS3Tests(SqliteS3ServerFixture f) : ProtectedFileTests(f), IClassFixture<SqliteS3ServerFixture>;

public sealed class ProtectedFilePostgresS3Tests(PostgresS3ServerFixture f) : ProtectedFileTests(f), IClassFixture<PostgresS3ServerFixture>;
