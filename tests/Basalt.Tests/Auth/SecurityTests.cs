using System.Net;
using System.Text.Json.Nodes;
using Basalt.Auth;
using Basalt.Model;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Auth;

/// <summary>
/// Privilege escalation through the records API (§4.3, §4.4): without manage access a user cannot verify itself, move
/// its email, pick its tokenKey or change its password without the old one. Each attempt is a 400 naming the field with
/// the error PocketBase gives, and the stored record does not change. Password hashes never leave the server.
/// </summary>
public abstract class SecurityTests(BasaltServerFixture server)
{
    private const string Password = "secure-password-1";

    public static TheoryData<string, string, string, string> RefusedOwnUpdates => new()
    {
        { """{"verified":true}""", "verified", "validation_in_invalid", "Must be a valid value." },
        { """{"email":"elsewhere@example.com"}""", "email", "validation_in_invalid", "Must be a valid value." },
        { """{"verified":true,"username":"sneaky"}""", "verified", "validation_in_invalid", "Must be a valid value." },
        { """{"password":"changed-pass-1","passwordConfirm":"changed-pass-1"}""", "oldPassword", "validation_required", "Cannot be blank." },
        { """{"password":"changed-pass-1","passwordConfirm":"changed-pass-1","oldPassword":"wrong-password"}""", "oldPassword", "validation_invalid_old_password", "Missing or invalid old password." },
        { """{"password":"changed-pass-1"}""", "passwordConfirm", "validation_required", "Cannot be blank." },
        { """{"passwordConfirm":"changed-pass-1"}""", "password", "validation_required", "Cannot be blank." },
        { """{"oldPassword":"secure-password-1"}""", "password", "validation_required", "Cannot be blank." },
    };

    [Theory]
    [MemberData(nameof(RefusedOwnUpdates))]
    public async Task Owner_update_of_protected_fields_is_refused_and_changes_nothing(string body, string field, string code, string message)
    {
        var user = await CreateUserAsync();
        var before = await SuperuserViewAsync(user);

        var (status, answer) = await server.NewClient(user.Token).PatchJsonAsync(Url(user), body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(400, answer!["status"]!.GetValue<int>());
        Assert.Equal("Failed to update record.", answer["message"]!.GetValue<string>());
        Assert.Equal(code, answer["data"]![field]!["code"]!.GetValue<string>());
        Assert.Equal(message, answer["data"]![field]!["message"]!.GetValue<string>());
        Assert.Equal(before.ToJsonString(), (await SuperuserViewAsync(user)).ToJsonString());
        using var stillWorks = await server.SignInAsync(user.Collection, user.Email, Password);
        var (refresh, _) = await server.NewClient(user.Token).PostJsonAsync($"/api/collections/{user.Collection}/auth-refresh", null);
        Assert.Equal(HttpStatusCode.OK, refresh);
    }

    [Fact]
    public async Task Owner_cannot_choose_its_tokenKey()
    {
        var user = await CreateUserAsync();
        var stored = await TokenKeyAsync(user);

        var (status, answer) = await server.NewClient(user.Token).PatchJsonAsync(Url(user), new { tokenKey = new string('k', 50) });

        // tokenKey is hidden: a non-superuser's value is dropped silently, as PocketBase does, and old tokens stay valid.
        Assert.True(status == HttpStatusCode.OK, answer?.ToJsonString());
        Assert.Equal(stored, await TokenKeyAsync(user));
        var (refresh, _) = await server.NewClient(user.Token).PostJsonAsync($"/api/collections/{user.Collection}/auth-refresh", null);
        Assert.Equal(HttpStatusCode.OK, refresh);
    }

    [Fact]
    public async Task Unchanged_email_and_verified_values_are_accepted()
    {
        var user = await CreateUserAsync();

        var (status, answer) = await server.NewClient(user.Token).PatchJsonAsync(Url(user), new { email = user.Email, verified = false, username = "renamed" });

        Assert.True(status == HttpStatusCode.OK, answer?.ToJsonString());
        Assert.Equal("renamed", answer!["username"]!.GetValue<string>());
    }

    [Fact]
    public async Task Guest_and_user_cannot_create_a_verified_record()
    {
        var collection = await CreateCollectionAsync();
        var user = await CreateUserAsync(collection);
        var email = "verified-" + Guid.NewGuid().ToString("N")[..8] + "@example.com";
        var body = new { email, password = Password, passwordConfirm = Password, verified = true };

        foreach (var client in new[] { server.Guest, server.NewClient(user.Token) })
        {
            var (status, answer) = await client.PostJsonAsync($"/api/collections/{collection}/records", body);

            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal("validation_in_invalid", answer!["data"]!["verified"]!["code"]!.GetValue<string>());
        }

        var (_, list) = await server.Superuser.GetJsonAsync($"/api/collections/{collection}/records?filter=" + Uri.EscapeDataString($"email = '{email}'"));
        Assert.Equal(0, list!["totalItems"]!.GetValue<int>());
        var (created, createdBody) = await server.Superuser.PostJsonAsync($"/api/collections/{collection}/records", body);
        Assert.True(created == HttpStatusCode.OK, createdBody?.ToJsonString());
        Assert.True(createdBody!["verified"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Password_hash_never_appears_in_any_response()
    {
        var user = await CreateUserAsync();
        var hash = (await LoadAsync(user)).GetString("password");
        Assert.StartsWith("$2", hash, StringComparison.Ordinal);
        var notes = HttpJson.UniqueName("notes");
        var collectionId = server.Services.GetRequiredService<ICollectionLookup>().Find(user.Collection)!.Id;
        var (made, madeBody) = await server.Superuser.PostJsonAsync("/api/collections", new
        {
            name = notes,
            type = "base",
            listRule = "",
            viewRule = "",
            fields = new object[] { new { name = "owner", type = "relation", collectionId, maxSelect = 1 } },
        });
        Assert.True(made == HttpStatusCode.OK, madeBody?.ToJsonString());
        var (_, note) = await server.Superuser.PostJsonAsync($"/api/collections/{notes}/records", new { owner = user.Id });
        using var owner = server.NewClient(user.Token);

        var responses = new List<string>
        {
            await TextAsync(server.Superuser, HttpMethod.Get, Url(user)),
            await TextAsync(server.Superuser, HttpMethod.Get, $"/api/collections/{user.Collection}/records"),
            await TextAsync(server.Superuser, HttpMethod.Get, $"/api/collections/{notes}/records?expand=owner"),
            await TextAsync(server.Superuser, HttpMethod.Get, $"/api/collections/{notes}/records/{note!["id"]}?expand=owner"),
            await TextAsync(owner, HttpMethod.Get, Url(user)),
            await TextAsync(owner, HttpMethod.Get, $"/api/collections/{notes}/records?expand=owner"),
            await TextAsync(owner, HttpMethod.Post, $"/api/collections/{user.Collection}/auth-refresh"),
            await TextAsync(server.Guest, HttpMethod.Post, $"/api/collections/{user.Collection}/auth-with-password", new { identity = user.Email, password = Password }),
            await TextAsync(server.Superuser, HttpMethod.Post, $"/api/collections/{user.Collection}/impersonate/{user.Id}", new { }),
            await TextAsync(server.Superuser, HttpMethod.Patch, Url(user), new { username = "still-secret" }),
        };

        foreach (var text in responses)
        {
            Assert.DoesNotContain(hash, text, StringComparison.Ordinal);
            Assert.DoesNotContain("$2a$", text, StringComparison.Ordinal);
            Assert.DoesNotContain("\"password\"", text, StringComparison.Ordinal);
            Assert.DoesNotContain("\"tokenKey\"", text, StringComparison.Ordinal);
        }

        Assert.Contains("\"expand\"", responses[2], StringComparison.Ordinal);
    }

    private static async Task<string> TextAsync(HttpClient client, HttpMethod method, string url, object? body = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = System.Net.Http.Json.JsonContent.Create(body);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {url}: {(int)response.StatusCode} {text}");
        return text;
    }

    private static string Url(SignedUpUser user) => $"/api/collections/{user.Collection}/records/{user.Id}";

    private async Task<JsonNode> SuperuserViewAsync(SignedUpUser user)
    {
        var (status, body) = await server.Superuser.GetJsonAsync(Url(user));
        Assert.Equal(HttpStatusCode.OK, status);
        return body!;
    }

    private async Task<Basalt.Model.Record> LoadAsync(SignedUpUser user)
    {
        var collection = server.Services.GetRequiredService<ICollectionLookup>().Find(user.Collection)!;
        return (await server.Services.GetRequiredService<AuthRecordStore>().FindByIdAsync(collection, user.Id, CancellationToken.None))!;
    }

    private async Task<string> TokenKeyAsync(SignedUpUser user) => (await LoadAsync(user)).GetString("tokenKey");

    private async Task<string> CreateCollectionAsync()
    {
        const string owner = "id = @request.auth.id";
        return await AuthCollections.CreateAsync(server, new JsonObject
        {
            ["createRule"] = "",
            ["listRule"] = owner,
            ["viewRule"] = owner,
            ["updateRule"] = owner,
        });
    }

    private async Task<SignedUpUser> CreateUserAsync(string? collection = null) =>
        await AuthCollections.SignUpAsync(server, collection ?? await CreateCollectionAsync(), "secure-" + Guid.NewGuid().ToString("N")[..8] + "@example.com", Password);

}

public sealed class SecuritySqliteTests(SqliteServerFixture f) : SecurityTests(f), IClassFixture<SqliteServerFixture>;

public sealed class SecurityPostgresTests(PostgresServerFixture f) : SecurityTests(f), IClassFixture<PostgresServerFixture>;
