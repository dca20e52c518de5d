using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text.Json.Nodes;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Auth;

/// <summary>
/// Sessions that must end: a pre-hijacker's token once the real owner proves the email with an OTP sign-in (the
/// tokenKey rotates), and a banned user's token at auth-refresh (the authRule is checked again, as at sign-in).
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "xunit disposes the SMTP server through IAsyncLifetime.DisposeAsync.")]
public abstract class AuthHardeningTests(BasaltServerFixture server) : IAsyncLifetime
{
    private const string RuleNotSatisfied = "The request doesn't satisfy the collection requirements to authenticate.";

    private readonly SmtpTestServer _smtp = new();

    public Task InitializeAsync() => OtpTestFlows.UseSmtpAsync(server, _smtp);

    public async Task DisposeAsync() => await _smtp.DisposeAsync();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_otp_sign_in_that_verifies_the_record_ends_the_pre_hijackers_session(bool mfa)
    {
        var name = await OtpTestFlows.CreateCollectionAsync(server, new JsonObject { ["viewRule"] = "id = @request.auth.id" });
        var (email, id) = await OtpTestFlows.CreateUserAsync(server, name);

        // The pre-hijacker registered the victim's address (unverified) and holds a session with its own password.
        using var hijacker = await server.SignInAsync(name, email, OtpTestFlows.Password);
        var (before, _) = await hijacker.GetJsonAsync($"/api/collections/{name}/records/{id}");

        // With MFA the OTP is only a first factor and the password is kept, but the session opened before still ends.
        if (mfa)
        {
            var (mfaOn, mfaBody) = await server.Superuser.PatchJsonAsync($"/api/collections/{name}", new { mfa = new { enabled = true } });
            Assert.True(mfaOn == HttpStatusCode.OK, mfaBody?.ToJsonString());
        }

        var (otpId, code) = await OtpTestFlows.RequestCodeAsync(server, _smtp, name, email);
        var (signIn, signInBody) = await server.Guest.PostJsonAsync($"/api/collections/{name}/auth-with-otp", new { otpId, password = code });

        var (view, _) = await hijacker.GetJsonAsync($"/api/collections/{name}/records/{id}");
        var (refresh, refreshBody) = await hijacker.PostJsonAsync($"/api/collections/{name}/auth-refresh", null);
        var (_, record) = await server.Superuser.GetJsonAsync($"/api/collections/{name}/records/{id}");

        Assert.Equal(HttpStatusCode.OK, before);
        Assert.True(signIn == (mfa ? HttpStatusCode.Unauthorized : HttpStatusCode.OK), signInBody?.ToJsonString());
        Assert.True(record!["verified"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.NotFound, view);
        Assert.Equal(HttpStatusCode.Unauthorized, refresh);
        Assert.Equal(401, refreshBody!["status"]!.GetValue<int>());
        if (!mfa)
        {
            using var victim = server.NewClient(signInBody!["token"]!.GetValue<string>());
            var (victimRefresh, _) = await victim.PostJsonAsync($"/api/collections/{name}/auth-refresh", null);
            Assert.Equal(HttpStatusCode.OK, victimRefresh);
        }
    }

    /// <summary>
    /// A pre-hijacker can link its own OAuth2 account to the record it registered; once the owner proves the email,
    /// that link must go too, or the pre-hijacker signs back in through its provider.
    /// </summary>
    [Fact]
    public async Task An_otp_sign_in_that_verifies_the_record_drops_the_oauth2_links_made_before()
    {
        var name = await OtpTestFlows.CreateCollectionAsync(server);
        var (email, id) = await OtpTestFlows.CreateUserAsync(server, name);
        var (_, collection) = await server.Superuser.GetJsonAsync($"/api/collections/{name}");
        var (linked, linkBody) = await server.Superuser.PostJsonAsync("/api/collections/_externalAuths/records", new JsonObject
        {
            ["collectionRef"] = collection!["id"]!.GetValue<string>(),
            ["recordRef"] = id,
            ["provider"] = "github",
            ["providerId"] = "hijacker-1",
        }.ToJsonString());

        var (otpId, code) = await OtpTestFlows.RequestCodeAsync(server, _smtp, name, email);
        var (signIn, _) = await server.Guest.PostJsonAsync($"/api/collections/{name}/auth-with-otp", new { otpId, password = code });
        var (_, links) = await server.Superuser.GetJsonAsync(
            "/api/collections/_externalAuths/records?filter=" + Uri.EscapeDataString($"recordRef='{id}'"));

        Assert.True(linked == HttpStatusCode.OK, linkBody?.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, signIn);
        Assert.Equal(0, links!["totalItems"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_otp_sign_in_of_a_verified_record_keeps_its_other_sessions()
    {
        var name = await OtpTestFlows.CreateCollectionAsync(server);
        var (email, id) = await OtpTestFlows.CreateUserAsync(server, name);
        var (verified, _) = await server.Superuser.PatchJsonAsync($"/api/collections/{name}/records/{id}", new { verified = true });
        using var other = await server.SignInAsync(name, email, OtpTestFlows.Password);

        var (otpId, code) = await OtpTestFlows.RequestCodeAsync(server, _smtp, name, email);
        var (signIn, _) = await server.Guest.PostJsonAsync($"/api/collections/{name}/auth-with-otp", new { otpId, password = code });
        var (refresh, _) = await other.PostJsonAsync($"/api/collections/{name}/auth-refresh", null);

        Assert.Equal(HttpStatusCode.OK, verified);
        Assert.Equal(HttpStatusCode.OK, signIn);
        Assert.Equal(HttpStatusCode.OK, refresh);
    }

    [Fact]
    public async Task Auth_refresh_refuses_a_user_the_authRule_no_longer_admits()
    {
        var name = await AuthCollections.CreateAsync(server, new JsonObject
        {
            ["authRule"] = "banned = false",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "banned", ["type"] = "bool" }),
        });
        var email = "ban-" + Guid.NewGuid().ToString("N")[..8] + "@example.com";
        var user = await AuthCollections.SignUpAsync(server, name, email, "banned-password-1", asSuperuser: true);
        using var client = server.NewClient(user.Token);
        var (allowed, _) = await client.PostJsonAsync($"/api/collections/{name}/auth-refresh", null);

        var (banned, _) = await server.Superuser.PatchJsonAsync($"/api/collections/{name}/records/{user.Id}", new { banned = true });
        var (refresh, refreshBody) = await client.PostJsonAsync($"/api/collections/{name}/auth-refresh", null);
        var (signIn, signInBody) = await server.Guest.PostJsonAsync($"/api/collections/{name}/auth-with-password", new { identity = email, password = "banned-password-1" });

        Assert.Equal(HttpStatusCode.OK, allowed);
        Assert.Equal(HttpStatusCode.OK, banned);
        Assert.Equal(HttpStatusCode.Forbidden, signIn);
        Assert.Equal(HttpStatusCode.Forbidden, refresh);
        Assert.Null(refreshBody!["token"]);
        Assert.Equal(RuleNotSatisfied, refreshBody["message"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(signInBody, refreshBody), $"{signInBody?.ToJsonString()} vs {refreshBody.ToJsonString()}");
    }

    [Fact]
    public async Task Auth_refresh_of_an_impersonation_token_checks_the_authRule_too()
    {
        var name = await AuthCollections.CreateAsync(server, new JsonObject
        {
            ["authRule"] = "banned = false",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "banned", ["type"] = "bool" }),
        });
        var email = "imp-" + Guid.NewGuid().ToString("N")[..8] + "@example.com";
        var user = await AuthCollections.SignUpAsync(server, name, email, "banned-password-1", asSuperuser: true);
        var (_, impersonated) = await server.Superuser.PostJsonAsync($"/api/collections/{name}/impersonate/{user.Id}", new { });
        using var client = server.NewClient(impersonated!["token"]!.GetValue<string>());

        await server.Superuser.PatchJsonAsync($"/api/collections/{name}/records/{user.Id}", new { banned = true });
        var (refresh, _) = await client.PostJsonAsync($"/api/collections/{name}/auth-refresh", null);

        Assert.Equal(HttpStatusCode.Forbidden, refresh);
    }
}

/// <summary>Auth hardening on SQLite.</summary>
public sealed class AuthHardeningSqliteTests(SqliteServerFixture f) : AuthHardeningTests(f), IClassFixture<SqliteServerFixture>;

/// <summary>Auth hardening on PostgreSQL.</summary>
public sealed class AuthHardeningPostgresTests(PostgresServerFixture f) : AuthHardeningTests(f), IClassFixture<PostgresServerFixture>;
