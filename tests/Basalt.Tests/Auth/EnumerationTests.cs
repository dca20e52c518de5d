using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text.Json.Nodes;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Auth;

/// <summary>
/// No user enumeration (§7.2): a wrong password and an unknown identity get the same answer, and the emailed requests
/// answer 204 whether or not the address has an account. Their similar cost is measured by bench/auth-enumeration.sh,
/// not here. Password-reset mails go out at most once per record per two minutes, still answering 204.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "xunit disposes the SMTP server through IAsyncLifetime.DisposeAsync.")]
public abstract class EnumerationTests(BasaltServerFixture server) : IAsyncLifetime
{
    private const string Password = "enum-password-1";
    private readonly SmtpTestServer _smtp = new();

    public async Task InitializeAsync()
    {
        var (status, body) = await server.Superuser.PatchJsonAsync("/api/settings", new
        {
            meta = new { appName = "Basalt", appURL = "https://app.example.com/", senderName = "Basalt", senderAddress = "noreply@example.com" },
            smtp = new { enabled = true, host = "127.0.0.1", port = _smtp.Port, tls = false },
        });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
    }

    public async Task DisposeAsync() => await _smtp.DisposeAsync();

    [Fact]
    public async Task Unknown_identity_and_wrong_password_answer_identically()
    {
        var (collection, email, username) = await CreateUserAsync();
        var attempts = new object[]
        {
            new { identity = "nobody-" + Guid.NewGuid().ToString("N")[..6] + "@example.com", password = Password },
            new { identity = email, password = "wrong-password" },
            new { identity = email.ToUpperInvariant(), password = "wrong-password" },
            new { identity = "nobody" + Guid.NewGuid().ToString("N")[..6], password = Password },
            new { identity = username, password = "wrong-password" },
            new { identity = "nobody@example.com", password = Password, identityField = "email" },
            new { identity = email, password = "wrong-password", identityField = "email" },
            new { identity = username, password = "wrong-password", identityField = "username" },
        };

        var answers = new List<string>();
        foreach (var attempt in attempts)
        {
            var (status, body) = await server.Guest.PostJsonAsync($"/api/collections/{collection}/auth-with-password", attempt);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            answers.Add(body!.ToJsonString());
        }

        Assert.Single(answers.Distinct());
        Assert.Equal("""{"status":400,"message":"Failed to authenticate.","data":{}}""", answers[0]);
        using var works = await server.SignInAsync(collection, username, Password);
    }

    [Fact]
    public async Task Emailed_requests_answer_204_for_known_and_unknown_addresses()
    {
        var (collection, email, _) = await CreateUserAsync();
        var unknown = "nobody-" + Guid.NewGuid().ToString("N")[..6] + "@example.com";

        foreach (var route in new[] { "request-password-reset", "request-verification" })
        {
            foreach (var address in new[] { email, unknown })
            {
                using var response = await server.Guest.PostAsync(
                    $"/api/collections/{collection}/{route}", new StringContent($$"""{"email":"{{address}}"}""", System.Text.Encoding.UTF8, "application/json"));
                Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
                Assert.Equal("", await response.Content.ReadAsStringAsync());
            }
        }
    }

    [Fact]
    public async Task Password_reset_mail_is_sent_once_per_record_per_two_minutes()
    {
        var (collection, email, _) = await CreateUserAsync();
        var (_, other, _) = await CreateUserAsync(collection);

        var (first, _) = await server.Guest.PostJsonAsync($"/api/collections/{collection}/request-password-reset", new { email });
        await _smtp.WaitForAsync(email);
        var (second, secondBody) = await server.Guest.PostJsonAsync($"/api/collections/{collection}/request-password-reset", new { email });
        var (third, _) = await server.Guest.PostJsonAsync($"/api/collections/{collection}/request-password-reset", new { email = email.ToUpperInvariant() });

        // Another record is not held back; once its mail is in, any second mail to the first address would be too.
        var (forOther, _) = await server.Guest.PostJsonAsync($"/api/collections/{collection}/request-password-reset", new { email = other });
        await _smtp.WaitForAsync(other);

        Assert.Equal(HttpStatusCode.NoContent, first);
        Assert.Equal(HttpStatusCode.NoContent, second);
        Assert.Null(secondBody);
        Assert.Equal(HttpStatusCode.NoContent, third);
        Assert.Equal(HttpStatusCode.NoContent, forOther);
        Assert.Single(_smtp.Messages, m => m.Recipients.Contains(email, StringComparer.OrdinalIgnoreCase));
    }

    private async Task<(string Collection, string Email, string Username)> CreateUserAsync(string? collection = null)
    {
        collection ??= await AuthCollections.CreateAsync(server, new JsonObject
        {
            ["passwordAuth"] = new JsonObject { ["enabled"] = true, ["identityFields"] = new JsonArray("email", "username") },
        });
        var username = "user" + Guid.NewGuid().ToString("N")[..8];
        var email = username + "@example.com";
        var (status, record) = await server.Superuser.PostJsonAsync(
            $"/api/collections/{collection}/records", new { email, username, password = Password, passwordConfirm = Password });
        Assert.True(status == HttpStatusCode.OK, record?.ToJsonString());
        return (collection, email, username);
    }
}

public sealed class EnumerationSqliteTests(SqliteServerFixture f) : EnumerationTests(f), IClassFixture<SqliteServerFixture>;

public sealed class EnumerationPostgresTests(PostgresServerFixture f) : EnumerationTests(f), IClassFixture<PostgresServerFixture>;
