using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text.Json.Nodes;
using Basalt.Realtime;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Realtime;

/// <summary>
/// The auth a realtime client bound (§8.2) follows its record through every auth flow, not only the records API: a
/// flow that changes the tokenKey signs the client out, one that does not refreshes the bound copy, and a new auth
/// token secret signs out every client of the collection. The binding follows the change log, in commit order with
/// the events, so a test waits for it rather than reading it the moment the write returns.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "xunit disposes the SMTP server through IAsyncLifetime.DisposeAsync.")]
public abstract class RealtimeBoundAuthTests(BasaltServerFixture server) : IAsyncLifetime
{
    private const string Password = "member-password-1";
    private const string NewPassword = "member-password-2";
    private readonly SmtpTestServer _smtp = new();

    private RealtimeClientRegistry Registry => server.Services.GetRequiredService<RealtimeClientRegistry>();

    public async Task InitializeAsync()
    {
        var (status, body) = await server.Superuser.PatchJsonAsync("/api/settings", new
        {
            meta = new { appName = "Basalt Realtime", appURL = "https://app.example.com/", senderName = "Basalt", senderAddress = "noreply@example.com" },
            smtp = new { enabled = true, host = "127.0.0.1", port = _smtp.Port, tls = false },
        });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
    }

    public async Task DisposeAsync() => await _smtp.DisposeAsync();

    [Fact]
    public async Task A_confirmed_password_reset_drops_the_bound_auth()
    {
        var (users, user) = await SignedUpAsync();
        using var client = server.NewClient(user.Token);
        await using var sse = await BoundAsync(client, user);

        await server.Guest.PostJsonAsync($"/api/collections/{users}/request-password-reset", new { email = user.Email });
        var token = (await _smtp.WaitForAsync(user.Email)).LinkToken("confirm-password-reset");
        var (confirmed, _) = await server.Guest.PostJsonAsync(
            $"/api/collections/{users}/confirm-password-reset", new { token, password = NewPassword, passwordConfirm = NewPassword });

        Assert.Equal(HttpStatusCode.NoContent, confirmed);
        await RealtimeTests.WaitUntil(() => Registry.Find(sse.ClientId)!.Auth is null);
    }

    [Fact]
    public async Task A_confirmed_email_change_drops_the_bound_auth()
    {
        var (users, user) = await SignedUpAsync();
        using var client = server.NewClient(user.Token);
        await using var sse = await BoundAsync(client, user);
        var newEmail = HttpJson.UniqueName("moved") + "@example.com";

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostJsonAsync($"/api/collections/{users}/request-email-change", new { newEmail })).Status);
        var token = (await _smtp.WaitForAsync(newEmail)).LinkToken("confirm-email-change");
        var (confirmed, _) = await server.Guest.PostJsonAsync($"/api/collections/{users}/confirm-email-change", new { token, password = Password });

        Assert.Equal(HttpStatusCode.NoContent, confirmed);
        await RealtimeTests.WaitUntil(() => Registry.Find(sse.ClientId)!.Auth is null);
    }

    [Fact]
    public async Task A_confirmed_verification_keeps_the_bound_auth_and_refreshes_it()
    {
        var (users, user) = await SignedUpAsync();
        using var client = server.NewClient(user.Token);
        await using var sse = await BoundAsync(client, user);

        await server.Guest.PostJsonAsync($"/api/collections/{users}/request-verification", new { email = user.Email });
        var token = (await _smtp.WaitForAsync(user.Email)).LinkToken("confirm-verification");
        Assert.Equal(HttpStatusCode.NoContent, (await server.Guest.PostJsonAsync($"/api/collections/{users}/confirm-verification", new { token })).Status);

        await RealtimeTests.WaitUntil(() => Registry.Find(sse.ClientId)!.Auth?.Get("verified") is true);
    }

    [Fact]
    public async Task An_otp_sign_in_that_verifies_the_record_never_leaves_the_stale_unverified_copy_bound()
    {
        var users = await Auth.OtpTestFlows.CreateCollectionAsync(server);
        var (email, id) = await Auth.OtpTestFlows.CreateUserAsync(server, users);
        using var client = await server.SignInAsync(users, email, Auth.OtpTestFlows.Password);
        await using var sse = await SseConnection.OpenAsync(client);
        Assert.Equal(HttpStatusCode.NoContent, (await RealtimeTests.Subscribe(client, sse.ClientId, "anything")).Status);
        Assert.Equal(id, Registry.Find(sse.ClientId)!.Auth!.Id);

        var (otpId, code) = await Auth.OtpTestFlows.RequestCodeAsync(server, _smtp, users, email);
        var (status, body) = await server.Guest.PostJsonAsync($"/api/collections/{users}/auth-with-otp", new { otpId, password = code });

        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        Assert.True(body!["record"]!["verified"]!.GetValue<bool>());

        // Refreshed (verified) today; dropped once the sign-in also rotates the tokenKey, as PocketBase does.
        await RealtimeTests.WaitUntil(() => Registry.Find(sse.ClientId)!.Auth?.Get("verified") is not false);
    }

    [Fact]
    public async Task Deleting_the_record_drops_the_bound_auth_even_without_subscribers_to_its_collection()
    {
        var (users, user) = await SignedUpAsync();
        using var client = server.NewClient(user.Token);
        await using var sse = await BoundAsync(client, user);

        Assert.Equal(HttpStatusCode.NoContent, (await server.Superuser.DeleteJsonAsync($"/api/collections/{users}/records/{user.Id}")).Status);

        await RealtimeTests.WaitUntil(() => Registry.Find(sse.ClientId)!.Auth is null);
    }

    [Fact]
    public async Task A_new_auth_token_secret_signs_the_bound_client_out_of_its_events()
    {
        var (users, user) = await SignedUpAsync();
        var guarded = await CollectionAsync("@request.auth.id != ''");
        var marker = await CollectionAsync("");
        using var client = server.NewClient(user.Token);
        await using var sse = await SseConnection.OpenAsync(client);
        Assert.Equal(HttpStatusCode.NoContent, (await RealtimeTests.Subscribe(client, sse.ClientId, guarded + "/*", marker + "/*")).Status);
        await CreateRecordAsync(guarded);
        Assert.Equal(guarded + "/*", (await sse.ReadAsync())!.Event);

        var (changed, body) = await server.Superuser.PatchJsonAsync(
            $"/api/collections/{users}", new { authToken = new { secret = new string('s', 50) } });
        Assert.True(changed == HttpStatusCode.OK, body?.ToJsonString());
        await CreateRecordAsync(guarded);
        await CreateRecordAsync(marker);

        Assert.Equal(marker + "/*", (await sse.ReadAsync())!.Event);
        Assert.Null(Registry.Find(sse.ClientId)!.Auth);
    }

    private async Task<(string Users, SignedUpUser User)> SignedUpAsync()
    {
        var users = await AuthCollections.CreateAsync(server, new JsonObject { ["createRule"] = "" });
        return (users, await AuthCollections.SignUpAsync(server, users, HttpJson.UniqueName("rt") + "@example.com", Password));
    }

    private async Task<SseConnection> BoundAsync(HttpClient client, SignedUpUser user)
    {
        var sse = await SseConnection.OpenAsync(client);
        Assert.Equal(HttpStatusCode.NoContent, (await RealtimeTests.Subscribe(client, sse.ClientId, "anything")).Status);
        Assert.Equal(user.Id, Registry.Find(sse.ClientId)!.Auth!.Id);
        return sse;
    }

    private async Task<string> CollectionAsync(string listRule)
    {
        var name = HttpJson.UniqueName("rt");
        var (status, body) = await server.Superuser.PostJsonAsync("/api/collections", new JsonObject
        {
            ["name"] = name,
            ["type"] = "base",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "title", ["type"] = "text" }),
            ["listRule"] = listRule,
        }.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        return name;
    }

    private async Task CreateRecordAsync(string collection)
    {
        var (status, body) = await server.Superuser.PostJsonAsync($"/api/collections/{collection}/records", new { title = "t" });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
    }
}

public sealed class RealtimeBoundAuthSqliteTests(SqliteServerFixture f) : RealtimeBoundAuthTests(f), IClassFixture<SqliteServerFixture>;

public sealed class RealtimeBoundAuthPostgresTests(PostgresServerFixture f) : RealtimeBoundAuthTests(f), IClassFixture<PostgresServerFixture>;
