using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Basalt.Auth;
using Basalt.Model;
using Basalt.Tests.Fixtures;
using Record = Basalt.Model.Record;

namespace Basalt.Tests.Auth;

/// <summary>
/// Forged, expired, misdirected and stale tokens against a user collection (§1.5, §6): each is a guest, so auth-refresh
/// answers 401 (403 for a genuine token of another collection) and the owner-only record answers 404, always with the
/// envelope, and nothing stored changes.
/// </summary>
public abstract class TokenAttackTests(BasaltServerFixture server)
{
    private const string Password = "attack-password-1";
    private const string OwnerRule = "id = @request.auth.id";

    [Fact]
    public async Task Unsigned_alg_none_token_is_a_guest()
    {
        var user = await CreateUserAsync();
        var payload = user.Token.Split('.')[1];

        await AssertGuestAsync(user, Base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + payload + ".");
        await AssertGuestAsync(user, Base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + payload);
    }

    [Fact]
    public async Task Token_signed_with_another_key_is_a_guest()
    {
        var user = await CreateUserAsync();
        var record = await LoadAsync(user);
        var impostor = new Record(record.Collection) { Id = record.Id };
        impostor.Set("tokenKey", new string('x', 50));

        await AssertGuestAsync(user, Tokens.CreateAuthToken(impostor));
    }

    [Fact]
    public async Task Tampered_payload_naming_another_user_is_a_guest()
    {
        var user = await CreateUserAsync();
        var victim = await CreateUserAsync(user.Collection);
        var parts = user.Token.Split('.');
        var payload = Encoding.UTF8.GetString(Convert.FromBase64String(Pad(parts[1]))).Replace(user.Id, victim.Id, StringComparison.Ordinal);

        await AssertGuestAsync(victim, parts[0] + "." + Base64Url(payload) + "." + parts[2]);
        await AssertGuestAsync(user, parts[0] + "." + Base64Url(payload.Replace("\"refreshable\":true", "\"refreshable\":false", StringComparison.Ordinal)) + "." + parts[2]);
    }

    [Fact]
    public async Task Expired_token_is_a_guest()
    {
        var user = await CreateUserAsync();
        var record = await LoadAsync(user);
        var issuedLongAgo = new TokenService(new ManualClock(DateTimeOffset.UtcNow.AddDays(-30)));

        await AssertGuestAsync(user, issuedLongAgo.CreateAuthToken(record));
    }

    [Fact]
    public async Task Email_and_file_tokens_are_not_auth_tokens()
    {
        var user = await CreateUserAsync();
        var record = await LoadAsync(user);
        var emailTokens = server.Services.GetRequiredService<EmailTokens>();
        var fileClaims = new Dictionary<string, object> { ["id"] = record.Id, ["type"] = "file", ["collectionId"] = record.Collection.Id };

        await AssertGuestAsync(user, emailTokens.Create(record, EmailTokenKind.Verification));
        await AssertGuestAsync(user, emailTokens.Create(record, EmailTokenKind.PasswordReset));
        await AssertGuestAsync(user, emailTokens.Create(record, EmailTokenKind.EmailChange, "other@example.com"));
        await AssertGuestAsync(user, Tokens.Create(record, "fileToken", TimeSpan.FromMinutes(3), fileClaims));

        // An "auth" token signed with another kind's secret (what a holder of a verification key could make) fails too.
        var authClaims = new Dictionary<string, object> { ["id"] = record.Id, ["type"] = "auth", ["collectionId"] = record.Collection.Id, ["refreshable"] = true };
        await AssertGuestAsync(user, Tokens.Create(record, "verificationToken", TimeSpan.FromHours(1), authClaims));
    }

    [Fact]
    public async Task Token_of_one_collection_is_refused_by_another()
    {
        var a = await CreateUserAsync();
        var b = await CreateUserAsync(await CreateCollectionAsync("@request.auth.collectionName = '" + "{B}" + "'"));

        var (refresh, refreshBody) = await server.NewClient(a.Token).PostJsonAsync($"/api/collections/{b.Collection}/auth-refresh", null);
        var (list, listBody) = await server.NewClient(a.Token).GetJsonAsync($"/api/collections/{b.Collection}/records");
        var (view, viewBody) = await server.NewClient(a.Token).GetJsonAsync($"/api/collections/{b.Collection}/records/{b.Id}");

        AssertEnvelope(HttpStatusCode.Forbidden, refresh, refreshBody);
        Assert.Equal(HttpStatusCode.OK, list);
        Assert.Empty(listBody!["items"]!.AsArray());
        AssertEnvelope(HttpStatusCode.NotFound, view, viewBody);
    }

    [Fact]
    public async Task Token_re_labelled_with_another_collection_is_a_guest()
    {
        var a = await CreateUserAsync();
        var b = await CreateUserAsync();
        var record = await LoadAsync(a);
        var otherId = server.Services.GetRequiredService<ICollectionLookup>().Find(b.Collection)!.Id;
        var claims = new Dictionary<string, object> { ["id"] = record.Id, ["type"] = "auth", ["collectionId"] = otherId, ["refreshable"] = true };
        var relabelled = Tokens.Create(record, TokenService.AuthTokenOptions, TimeSpan.FromHours(1), claims);

        await AssertGuestAsync(a, relabelled);
        var (refresh, body) = await server.NewClient(relabelled).PostJsonAsync($"/api/collections/{b.Collection}/auth-refresh", null);
        AssertEnvelope(HttpStatusCode.Unauthorized, refresh, body);
    }

    [Fact]
    public async Task Changing_the_password_through_the_records_api_signs_out_old_tokens()
    {
        var user = await CreateUserAsync();

        var (status, body) = await server.NewClient(user.Token).PatchJsonAsync(
            $"/api/collections/{user.Collection}/records/{user.Id}",
            new { password = "attack-password-2", passwordConfirm = "attack-password-2", oldPassword = Password });

        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        await AssertGuestAsync(user, user.Token);
        using var again = await server.SignInAsync(user.Collection, user.Email, "attack-password-2");
    }

    [Fact]
    public async Task Confirming_a_password_reset_signs_out_old_tokens()
    {
        var user = await CreateUserAsync();
        var reset = server.Services.GetRequiredService<EmailTokens>().Create(await LoadAsync(user), EmailTokenKind.PasswordReset);

        var (status, body) = await server.Guest.PostJsonAsync(
            $"/api/collections/{user.Collection}/confirm-password-reset", new { token = reset, password = "attack-password-3", passwordConfirm = "attack-password-3" });

        Assert.True(status == HttpStatusCode.NoContent, body?.ToJsonString());
        await AssertGuestAsync(user, user.Token);
    }

    [Fact]
    public async Task Confirming_an_email_change_signs_out_old_tokens()
    {
        var user = await CreateUserAsync();
        var newEmail = "moved-" + Guid.NewGuid().ToString("N")[..8] + "@example.com";
        var change = server.Services.GetRequiredService<EmailTokens>().Create(await LoadAsync(user), EmailTokenKind.EmailChange, newEmail);

        var (status, body) = await server.Guest.PostJsonAsync($"/api/collections/{user.Collection}/confirm-email-change", new { token = change, password = Password });

        Assert.True(status == HttpStatusCode.NoContent, body?.ToJsonString());
        await AssertGuestAsync(user, user.Token);
    }

    [Fact]
    public async Task A_new_tokenKey_signs_out_old_tokens()
    {
        var user = await CreateUserAsync();

        var (status, body) = await server.Superuser.PatchJsonAsync($"/api/collections/{user.Collection}/records/{user.Id}", new { tokenKey = new string('k', 50) });

        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        await AssertGuestAsync(user, user.Token);
    }

    [Fact]
    public async Task Token_of_a_deleted_record_is_a_guest()
    {
        var user = await CreateUserAsync();

        var (deleted, _) = await server.Superuser.DeleteJsonAsync($"/api/collections/{user.Collection}/records/{user.Id}");
        var (refresh, body) = await server.NewClient(user.Token).PostJsonAsync($"/api/collections/{user.Collection}/auth-refresh", null);

        Assert.Equal(HttpStatusCode.NoContent, deleted);
        AssertEnvelope(HttpStatusCode.Unauthorized, refresh, body);
    }

    private TokenService Tokens => server.Services.GetRequiredService<TokenService>();

    /// <summary>As a guest: auth-refresh is 401 and the owner-only record is 404, both with the envelope; the row is unchanged.</summary>
    private async Task AssertGuestAsync(SignedUpUser user, string token)
    {
        var before = await SuperuserViewAsync(user);
        using var client = server.NewClient(token);

        var (refresh, refreshBody) = await client.PostJsonAsync($"/api/collections/{user.Collection}/auth-refresh", null);
        var (view, viewBody) = await client.GetJsonAsync($"/api/collections/{user.Collection}/records/{user.Id}");
        var (update, updateBody) = await client.PatchJsonAsync($"/api/collections/{user.Collection}/records/{user.Id}", new { username = "hijacked" });

        AssertEnvelope(HttpStatusCode.Unauthorized, refresh, refreshBody);
        AssertEnvelope(HttpStatusCode.NotFound, view, viewBody);
        AssertEnvelope(HttpStatusCode.NotFound, update, updateBody);
        Assert.Equal(before.ToJsonString(), (await SuperuserViewAsync(user)).ToJsonString());
    }

    private static void AssertEnvelope(HttpStatusCode expected, HttpStatusCode status, JsonNode? body)
    {
        Assert.Equal(expected, status);
        Assert.Equal((int)expected, body!["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(body["message"]!.GetValue<string>()));
        Assert.NotNull(body["data"]!.AsObject());
    }

    private async Task<JsonNode> SuperuserViewAsync(SignedUpUser user)
    {
        var (status, body) = await server.Superuser.GetJsonAsync($"/api/collections/{user.Collection}/records/{user.Id}");
        Assert.Equal(HttpStatusCode.OK, status);
        return body!;
    }

    private async Task<Record> LoadAsync(SignedUpUser user)
    {
        var collection = server.Services.GetRequiredService<ICollectionLookup>().Find(user.Collection)!;
        return (await server.Services.GetRequiredService<AuthRecordStore>().FindByIdAsync(collection, user.Id, CancellationToken.None))!;
    }

    /// <summary>An auth collection whose records only their owner sees and updates ("{B}" in the rule becomes its name).</summary>
    private async Task<string> CreateCollectionAsync(string viewRule = OwnerRule)
    {
        var name = HttpJson.UniqueName("attacked");
        var rule = viewRule.Replace("{B}", name, StringComparison.Ordinal);
        var body = new JsonObject
        {
            ["name"] = name,
            ["type"] = "auth",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "username", ["type"] = "text" }),
            ["listRule"] = rule,
            ["viewRule"] = rule,
            ["updateRule"] = rule,
            ["createRule"] = "",
        };
        var (status, created) = await server.Superuser.PostJsonAsync("/api/collections", body.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, created?.ToJsonString());
        return name;
    }

    private async Task<SignedUpUser> CreateUserAsync(string? collection = null) =>
        await AuthCollections.SignUpAsync(server, collection ?? await CreateCollectionAsync(), "target-" + Guid.NewGuid().ToString("N")[..8] + "@example.com", Password);

    private static string Base64Url(string json) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Pad(string base64Url)
    {
        var s = base64Url.Replace('-', '+').Replace('_', '/');
        return s + new string('=', (4 - (s.Length % 4)) % 4);
    }

}

public sealed class TokenAttackSqliteTests(SqliteServerFixture f) : TokenAttackTests(f), IClassFixture<SqliteServerFixture>;

public sealed class TokenAttackPostgresTests(PostgresServerFixture f) : TokenAttackTests(f), IClassFixture<PostgresServerFixture>;
