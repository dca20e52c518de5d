using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text.Json.Nodes;
using Basalt.Auth;
using Basalt.Model;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Auth;

/// <summary>
/// The emailed flows of §7.2 end to end: Basalt sends over real SMTP (MailKit) to a receiver on loopback, the test reads
/// the delivered mail, takes the token from its link and completes the flow over HTTP. Bad tokens change nothing.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "xunit disposes the SMTP server through IAsyncLifetime.DisposeAsync.")]
public abstract class AuthEmailTests(BasaltServerFixture server) : IAsyncLifetime
{
    private const string Password = "member-password-1";
    private const string NewPassword = "member-password-2";
    private readonly SmtpTestServer _smtp = new();

    public async Task InitializeAsync()
    {
        var (status, body) = await server.Superuser.PatchJsonAsync("/api/settings", new
        {
            meta = new { appName = "Basalt Mail", appURL = "https://app.example.com/", senderName = "Basalt", senderAddress = "noreply@example.com" },
            smtp = new { enabled = true, host = "127.0.0.1", port = _smtp.Port, tls = false },
        });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
    }

    public async Task DisposeAsync() => await _smtp.DisposeAsync();

    [Fact]
    public async Task Verification_mail_link_verifies_the_record()
    {
        var (name, email, id) = await CreateUserAsync();

        var (requested, _) = await server.Guest.PostJsonAsync($"/api/collections/{name}/request-verification", new { email });
        var mail = await _smtp.WaitForAsync(email);
        var message = mail.Parse();
        var token = mail.LinkToken("confirm-verification");
        var (confirmed, _) = await server.Guest.PostJsonAsync($"/api/collections/{name}/confirm-verification", new { token });

        Assert.Equal(HttpStatusCode.NoContent, requested);
        Assert.Equal("noreply@example.com", mail.From);
        Assert.Equal("Verify your Basalt Mail email", message.Subject);
        Assert.Contains("https://app.example.com/_/#/auth/confirm-verification/", message.HtmlBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, confirmed);
        Assert.True((await RecordAsync(name, id))["verified"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Verification_randomises_the_password_when_password_auth_is_off()
    {
        var (name, email, id) = await CreateUserAsync();
        await server.Guest.PostJsonAsync($"/api/collections/{name}/request-verification", new { email });
        var token = (await _smtp.WaitForAsync(email)).LinkToken("confirm-verification");
        var (disabled, disabledBody) = await server.Superuser.PatchJsonAsync($"/api/collections/{name}", new { passwordAuth = new { enabled = false } });
        Assert.True(disabled == HttpStatusCode.OK, disabledBody?.ToJsonString());

        var (confirmed, _) = await server.Guest.PostJsonAsync($"/api/collections/{name}/confirm-verification", new { token });
        await server.Superuser.PatchJsonAsync($"/api/collections/{name}", new { passwordAuth = new { enabled = true } });
        var (oldPassword, _) = await server.Guest.PostJsonAsync($"/api/collections/{name}/auth-with-password", new { identity = email, password = Password });

        Assert.Equal(HttpStatusCode.NoContent, confirmed);
        Assert.True((await RecordAsync(name, id))["verified"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.BadRequest, oldPassword);
    }

    [Fact]
    public async Task Requests_for_unknown_emails_answer_204_too()
    {
        var (name, _, _) = await CreateUserAsync();

        var (verification, _) = await server.Guest.PostJsonAsync($"/api/collections/{name}/request-verification", new { email = "nobody@example.com" });
        var (reset, _) = await server.Guest.PostJsonAsync($"/api/collections/{name}/request-password-reset", new { email = "nobody@example.com" });
        var (invalid, body) = await server.Guest.PostJsonAsync($"/api/collections/{name}/request-password-reset", new { email = "not-an-email" });

        Assert.Equal(HttpStatusCode.NoContent, verification);
        Assert.Equal(HttpStatusCode.NoContent, reset);
        Assert.Equal(HttpStatusCode.BadRequest, invalid);
        Assert.NotNull(body!["data"]!["email"]!["code"]);
    }

    [Fact]
    public async Task Password_reset_mail_sets_the_password_signs_out_old_tokens_and_is_single_use()
    {
        var (name, email, id) = await CreateUserAsync();
        using var oldSession = await server.SignInAsync(name, email, Password);

        var (requested, _) = await server.Guest.PostJsonAsync($"/api/collections/{name}/request-password-reset", new { email });
        var token = (await _smtp.WaitForAsync(email)).LinkToken("confirm-password-reset");
        var (mismatch, mismatchBody) = await server.Guest.PostJsonAsync(
            $"/api/collections/{name}/confirm-password-reset", new { token, password = NewPassword, passwordConfirm = "other-password" });
        var (confirmed, _) = await server.Guest.PostJsonAsync(
            $"/api/collections/{name}/confirm-password-reset", new { token, password = NewPassword, passwordConfirm = NewPassword });
        var (reused, reusedBody) = await server.Guest.PostJsonAsync(
            $"/api/collections/{name}/confirm-password-reset", new { token, password = "third-password-3", passwordConfirm = "third-password-3" });
        var (oldRefresh, _) = await oldSession.PostJsonAsync($"/api/collections/{name}/auth-refresh", null);
        var (oldPassword, _) = await server.Guest.PostJsonAsync($"/api/collections/{name}/auth-with-password", new { identity = email, password = Password });

        Assert.Equal(HttpStatusCode.NoContent, requested);
        Assert.Equal(HttpStatusCode.BadRequest, mismatch);
        Assert.NotNull(mismatchBody!["data"]!["passwordConfirm"]);
        Assert.Equal(HttpStatusCode.NoContent, confirmed);
        Assert.Equal(HttpStatusCode.BadRequest, reused);
        Assert.NotNull(reusedBody!["data"]!["token"]);
        Assert.Equal(HttpStatusCode.Unauthorized, oldRefresh);
        Assert.Equal(HttpStatusCode.BadRequest, oldPassword);
        using var newSession = await server.SignInAsync(name, email, NewPassword);
        Assert.True((await RecordAsync(name, id))["verified"]!.GetValue<bool>());
    }

    /// <summary>
    /// A password reset proves the email of an unverified record: OAuth2 links made before (by whoever registered the
    /// address first) go with the old password, or that party signs back in through its provider. A verified
    /// record's links stay.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_password_reset_that_verifies_the_record_drops_the_oauth2_links_made_before(bool verified)
    {
        var (name, email, id) = await CreateUserAsync();
        if (verified)
        {
            await server.Superuser.PatchJsonAsync($"/api/collections/{name}/records/{id}", new { verified = true });
        }

        var (_, collection) = await server.Superuser.GetJsonAsync($"/api/collections/{name}");
        var (linked, linkBody) = await server.Superuser.PostJsonAsync("/api/collections/_externalAuths/records", new JsonObject
        {
            ["collectionRef"] = collection!["id"]!.GetValue<string>(),
            ["recordRef"] = id,
            ["provider"] = "github",
            ["providerId"] = "linked-before-" + verified,
        }.ToJsonString());

        await server.Guest.PostJsonAsync($"/api/collections/{name}/request-password-reset", new { email });
        var token = (await _smtp.WaitForAsync(email)).LinkToken("confirm-password-reset");
        var (confirmed, _) = await server.Guest.PostJsonAsync(
            $"/api/collections/{name}/confirm-password-reset", new { token, password = NewPassword, passwordConfirm = NewPassword });
        var (_, links) = await server.Superuser.GetJsonAsync(
            "/api/collections/_externalAuths/records?filter=" + Uri.EscapeDataString($"recordRef='{id}'"));

        Assert.True(linked == HttpStatusCode.OK, linkBody?.ToJsonString());
        Assert.Equal(HttpStatusCode.NoContent, confirmed);
        Assert.Equal(verified ? 1 : 0, links!["totalItems"]!.GetValue<int>());
    }

    [Fact]
    public async Task Email_change_needs_the_current_password_and_moves_the_account()
    {
        var (name, email, id) = await CreateUserAsync();
        using var user = await server.SignInAsync(name, email, Password);
        var newEmail = "moved-" + Guid.NewGuid().ToString("N")[..6] + "@example.com";

        var (guest, _) = await server.Guest.PostJsonAsync($"/api/collections/{name}/request-email-change", new { newEmail });
        var (taken, takenBody) = await user.PostJsonAsync($"/api/collections/{name}/request-email-change", new { newEmail = email });
        var (requested, _) = await user.PostJsonAsync($"/api/collections/{name}/request-email-change", new { newEmail });
        var mail = await _smtp.WaitForAsync(newEmail);
        var token = mail.LinkToken("confirm-email-change");
        var (wrongPassword, wrongBody) = await server.Guest.PostJsonAsync($"/api/collections/{name}/confirm-email-change", new { token, password = "wrong-password-9" });
        var unchanged = await RecordAsync(name, id);
        var (confirmed, _) = await server.Guest.PostJsonAsync($"/api/collections/{name}/confirm-email-change", new { token, password = Password });

        Assert.Equal(HttpStatusCode.Unauthorized, guest);
        Assert.Equal(HttpStatusCode.BadRequest, taken);
        Assert.NotNull(takenBody!["data"]!["newEmail"]);
        Assert.Equal(HttpStatusCode.NoContent, requested);
        Assert.Equal("Confirm your Basalt Mail new email address", mail.Parse().Subject);
        Assert.Equal(HttpStatusCode.BadRequest, wrongPassword);
        Assert.NotNull(wrongBody!["data"]!["password"]);
        Assert.Equal(email, unchanged["email"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, confirmed);
        var moved = await RecordAsync(name, id);
        Assert.Equal(newEmail, moved["email"]!.GetValue<string>());
        Assert.True(moved["verified"]!.GetValue<bool>());
        var (oldToken, _) = await user.PostJsonAsync($"/api/collections/{name}/auth-refresh", null);
        Assert.Equal(HttpStatusCode.Unauthorized, oldToken);
        using var _ = await server.SignInAsync(name, newEmail, Password);
    }

    [Fact]
    public async Task Collection_templates_are_used_when_set()
    {
        var (name, email, _) = await CreateUserAsync(new JsonObject
        {
            ["verificationTemplate"] = new JsonObject
            {
                ["subject"] = "Hi from {APP_NAME}",
                ["body"] = "<p>{RECORD:email}: <a href=\"{APP_URL}/_/#/auth/confirm-verification/{TOKEN}\">go</a></p>",
            },
        });

        await server.Guest.PostJsonAsync($"/api/collections/{name}/request-verification", new { email });
        var message = (await _smtp.WaitForAsync(email)).Parse();

        Assert.Equal("Hi from Basalt Mail", message.Subject);
        Assert.StartsWith($"<p>{email}: <a href=\"https://app.example.com/_/#/auth/confirm-verification/", message.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_expired_tampered_or_misused_tokens_are_400_and_change_nothing()
    {
        var (name, email, id) = await CreateUserAsync();
        var (other, _, _) = await CreateUserAsync();
        await server.Guest.PostJsonAsync($"/api/collections/{name}/request-verification", new { email });
        var token = (await _smtp.WaitForAsync(email)).LinkToken("confirm-verification");
        var expired = await ExpiredVerificationTokenAsync(name, id);
        var tampered = token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1];

        var attempts = new (string Url, object Body)[]
        {
            ($"/api/collections/{name}/confirm-verification", new { token = "not-a-token" }),
            ($"/api/collections/{name}/confirm-verification", new { token = "" }),
            ($"/api/collections/{name}/confirm-verification", new { token = tampered }),
            ($"/api/collections/{name}/confirm-verification", new { token = expired }),
            ($"/api/collections/{other}/confirm-verification", new { token }),
            ($"/api/collections/{name}/confirm-password-reset", new { token, password = NewPassword, passwordConfirm = NewPassword }),
            ($"/api/collections/{name}/confirm-email-change", new { token, password = Password }),
        };
        foreach (var (url, body) in attempts)
        {
            var (status, envelope) = await server.Guest.PostJsonAsync(url, body);
            Assert.True(status == HttpStatusCode.BadRequest, $"{url}: {(int)status} {envelope?.ToJsonString()}");
            Assert.Equal(400, envelope!["status"]!.GetValue<int>());
        }

        var record = await RecordAsync(name, id);
        Assert.False(record["verified"]!.GetValue<bool>());
        Assert.Equal(email, record["email"]!.GetValue<string>());
        using var stillSignsIn = await server.SignInAsync(name, email, Password);
    }

    [Fact]
    public async Task Superusers_send_a_test_email_of_every_template()
    {
        foreach (var template in new[] { "verification", "password-reset", "email-change", "otp", "login-alert" })
        {
            var to = template + "-" + Guid.NewGuid().ToString("N")[..6] + "@example.com";
            var (status, body) = await server.Superuser.PostJsonAsync("/api/settings/test/email", new { email = to, template, collection = "_superusers" });
            Assert.True(status == HttpStatusCode.NoContent, $"{template}: {(int)status} {body?.ToJsonString()}");
            var message = (await _smtp.WaitForAsync(to)).Parse();
            Assert.DoesNotContain("{", message.Subject + message.HtmlBody, StringComparison.Ordinal);
        }

        var (guest, _) = await server.Guest.PostJsonAsync("/api/settings/test/email", new { email = "a@example.com", template = "otp" });
        var (badTemplate, badTemplateBody) = await server.Superuser.PostJsonAsync("/api/settings/test/email", new { email = "a@example.com", template = "nope" });
        var (badEmail, badEmailBody) = await server.Superuser.PostJsonAsync("/api/settings/test/email", new { email = "nope", template = "otp" });

        Assert.Equal(HttpStatusCode.Unauthorized, guest);
        Assert.Equal(HttpStatusCode.BadRequest, badTemplate);
        Assert.NotNull(badTemplateBody!["data"]!["template"]);
        Assert.Equal(HttpStatusCode.BadRequest, badEmail);
        Assert.NotNull(badEmailBody!["data"]!["email"]);
    }

    /// <summary>A correctly signed verification token that expired a day ago (issued by a clock two days back).</summary>
    private async Task<string> ExpiredVerificationTokenAsync(string collection, string id)
    {
        var lookup = server.Services.GetRequiredService<ICollectionLookup>();
        var store = server.Services.GetRequiredService<AuthRecordStore>();
        var record = await store.FindByIdAsync(lookup.Find(collection)!, id, CancellationToken.None);
        var past = new TokenService(new ManualClock(DateTimeOffset.UtcNow.AddDays(-2)));
        return new EmailTokens(past, store).Create(record!, EmailTokenKind.Verification);
    }

    private async Task<JsonNode> RecordAsync(string collection, string id)
    {
        var (status, body) = await server.Superuser.GetJsonAsync($"/api/collections/{collection}/records/{id}");
        Assert.Equal(HttpStatusCode.OK, status);
        return body!;
    }

    private async Task<(string Collection, string Email, string Id)> CreateUserAsync(JsonObject? options = null)
    {
        var name = HttpJson.UniqueName("mailusers");
        var collection = new JsonObject { ["name"] = name, ["type"] = "auth" };
        foreach (var (key, value) in options ?? [])
        {
            collection[key] = value?.DeepClone();
        }

        var (created, createdBody) = await server.Superuser.PostJsonAsync("/api/collections", collection);
        Assert.True(created == HttpStatusCode.OK, createdBody?.ToJsonString());
        var email = "member-" + Guid.NewGuid().ToString("N")[..6] + "@example.com";
        var (status, record) = await server.Superuser.PostJsonAsync(
            $"/api/collections/{name}/records", new { email, password = Password, passwordConfirm = Password });
        Assert.True(status == HttpStatusCode.OK, record?.ToJsonString());
        return (name, email, record!["id"]!.GetValue<string>());
    }
}

/// <summary>Emailed auth flows on SQLite.</summary>
public sealed class AuthEmailSqliteTests(SqliteServerFixture f) : AuthEmailTests(f), IClassFixture<SqliteServerFixture>;

/// <summary>Emailed auth flows on PostgreSQL.</summary>
public sealed class AuthEmailPostgresTests(PostgresServerFixture f) : AuthEmailTests(f), IClassFixture<PostgresServerFixture>;
