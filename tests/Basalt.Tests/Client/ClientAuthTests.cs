using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Basalt.Client;
using Basalt.Client.Auth;
using Basalt.Tests.Auth;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Client;

/// <summary>Sign-in flows through the .NET client and its auth store: password, refresh, impersonation, OTP, MFA, storage.</summary>
[SuppressMessage("Design", "CA1001", Justification = "xunit disposes the SMTP server through IAsyncLifetime.DisposeAsync.")]
public abstract partial class ClientAuthTests(BasaltServerFixture server) : IAsyncLifetime
{
    private readonly SmtpTestServer _smtp = new();

    public Task InitializeAsync() => OtpTestFlows.UseSmtpAsync(server, _smtp);

    public async Task DisposeAsync() => await _smtp.DisposeAsync();

    [Fact]
    public async Task Superuser_sign_in_fills_the_store_raises_changed_and_persists()
    {
        var storage = new MemoryAuthStorage();
        var changes = new List<string>();
        var store = new AuthStore(storage);
        store.Changed += (_, e) => changes.Add(e.Token);
        await using var client = new BasaltClient(new HttpClient { BaseAddress = server.BaseAddress }, authStore: store);

        var result = await client.Superusers.AuthWithPasswordAsync(BasaltServerFixture.SuperuserEmail, BasaltServerFixture.SuperuserPassword);
        var restored = new AuthStore(storage);
        await restored.LoadAsync();
        await using var again = new BasaltClient(new HttpClient { BaseAddress = server.BaseAddress }, authStore: restored);
        var settings = await again.Settings.GetAllAsync();
        await client.AuthStore.ClearAsync();

        Assert.Equal([result.Token, ""], changes);
        Assert.True(restored.IsValid);
        Assert.True(restored.IsSuperuser);
        Assert.Equal(BasaltServerFixture.SuperuserEmail, restored.Record!["email"]!.GetValue<string>());
        Assert.NotNull(settings["meta"]);
        Assert.Null(storage.Saved);
        Assert.False(client.AuthStore.IsValid);
    }

    [Fact]
    public async Task User_password_refresh_update_and_delete_keep_the_store_in_step()
    {
        var (client, id) = await SignUpAsync();
        await using var _ = client;
        var users = client.Collection("users");

        var refreshed = await users.AuthRefreshAsync();
        await users.UpdateAsync(id, new JsonObject { ["name"] = "Renamed" });
        var renamed = client.AuthStore.Record!["name"]!.GetValue<string>();
        await users.DeleteAsync(id);

        Assert.False(client.AuthStore.IsSuperuser);
        Assert.True(AuthStore.Payload(refreshed.Token)!["refreshable"]!.GetValue<bool>());
        Assert.Equal(id, refreshed.Record["id"]!.GetValue<string>());
        Assert.Equal("Renamed", renamed);
        Assert.Equal("", client.AuthStore.Token);
    }

    [Fact]
    public async Task Impersonation_gives_a_new_client_with_a_non_refreshable_token()
    {
        var (user, id) = await SignUpAsync();
        await using var _ = user;
        await using var admin = await ClientKit.SuperuserAsync(server);

        await using var impersonated = await admin.Collection("users").ImpersonateAsync(id, TimeSpan.FromMinutes(5));
        var own = await impersonated.Collection("users").GetOneAsync(id);
        var refreshed = await impersonated.Collection("users").AuthRefreshAsync();

        Assert.True(admin.AuthStore.IsSuperuser);
        Assert.Equal(id, impersonated.AuthStore.Record!["id"]!.GetValue<string>());
        Assert.Equal(id, own["id"]!.GetValue<string>());
        Assert.False(AuthStore.Payload(impersonated.AuthStore.Token)!["refreshable"]!.GetValue<bool>());
        Assert.Equal(impersonated.AuthStore.Token, refreshed.Token);
    }

    [Fact]
    public async Task Otp_after_a_password_mfa_challenge_signs_in()
    {
        var name = await OtpTestFlows.CreateCollectionAsync(server, new JsonObject { ["mfa"] = new JsonObject { ["enabled"] = true, ["rule"] = "" } });
        var (email, id) = await OtpTestFlows.CreateUserAsync(server, name);
        await using var client = ClientKit.Guest(server);
        var members = client.Collection(name);

        var methods = await members.ListAuthMethodsAsync();
        var challenge = await Assert.ThrowsAsync<ClientResponseException>(() => members.AuthWithPasswordAsync(email, OtpTestFlows.Password));
        var otpId = await members.RequestOtpAsync(email);
        var mail = await OtpTestFlows.WaitForMailsAsync(_smtp, email, 1);
        var code = CodePattern().Match(mail[0].Parse().HtmlBody ?? "").Groups[1].Value;
        var result = await members.AuthWithOtpAsync(otpId, code, challenge.MfaId);

        Assert.True(methods.PasswordEnabled && methods.OtpEnabled && methods.MfaEnabled);
        Assert.Equal(["email"], methods.IdentityFields);
        Assert.Equal(401, challenge.Status);
        Assert.False(string.IsNullOrEmpty(challenge.MfaId));
        Assert.Equal(id, result.Record["id"]!.GetValue<string>());
        Assert.Equal(result.Token, client.AuthStore.Token);
    }

    [Fact]
    public async Task Email_flows_answer_without_content()
    {
        var (client, _) = await SignUpAsync();
        await using var _ = client;
        var users = client.Collection("users");
        var email = client.AuthStore.Record!["email"]!.GetValue<string>();

        await users.RequestPasswordResetAsync(email);
        await users.RequestVerificationAsync(email);
        await users.RequestEmailChangeAsync(HttpJson.UniqueName("new") + "@example.com");
        var badReset = await Assert.ThrowsAsync<ClientResponseException>(() => users.ConfirmPasswordResetAsync("not-a-token", "new-password-1", "new-password-1"));
        var badVerify = await Assert.ThrowsAsync<ClientResponseException>(() => users.ConfirmVerificationAsync("not-a-token"));

        Assert.Equal(400, badReset.Status);
        Assert.Equal(400, badVerify.Status);
    }

    private async Task<(BasaltClient Client, string Id)> SignUpAsync()
    {
        var client = ClientKit.Guest(server);
        var email = HttpJson.UniqueName("user") + "@example.com";
        var record = await client.Collection("users").CreateAsync(new JsonObject { ["email"] = email, ["password"] = "user-password-1", ["passwordConfirm"] = "user-password-1" });
        await client.Collection("users").AuthWithPasswordAsync(email, "user-password-1");
        return (client, ClientKit.Id(record));
    }

    [GeneratedRegex(@"code=(\d+)")]
    private static partial Regex CodePattern();

    /// <summary>An app's storage, kept in memory for the test.</summary>
    private sealed class MemoryAuthStorage : IAuthStorage
    {
        public string? Saved { get; private set; }

        public ValueTask<AuthState?> LoadAsync(CancellationToken cancellationToken) => ValueTask.FromResult(AuthState.FromJson(Saved));

        public ValueTask SaveAsync(AuthState? state, CancellationToken cancellationToken)
        {
            Saved = state?.ToJson();
            return ValueTask.CompletedTask;
        }
    }
}

public sealed class ClientAuthSqliteTests(SqliteServerFixture f) : ClientAuthTests(f), IClassFixture<SqliteServerFixture>;

public sealed class ClientAuthPostgresTests(PostgresServerFixture f) : ClientAuthTests(f), IClassFixture<PostgresServerFixture>;
