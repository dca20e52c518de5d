using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text.Json.Nodes;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Auth;

/// <summary>
/// New-location login alerts (§7.1): a sign-in from a device (IP + user agent) the record has not used mails the
/// <c>authAlert</c> template, except the very first sign-in; known devices, impersonation and refresh stay quiet.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "xunit disposes the SMTP server through IAsyncLifetime.DisposeAsync.")]
public abstract class LoginAlertTests(BasaltServerFixture server) : IAsyncLifetime
{
    private readonly SmtpTestServer _smtp = new();

    public Task InitializeAsync() => OtpTestFlows.UseSmtpAsync(server, _smtp);

    public async Task DisposeAsync() => await _smtp.DisposeAsync();

    [Fact]
    public async Task Only_new_devices_after_the_first_sign_in_are_alerted()
    {
        var name = await CreateAlertCollectionAsync(enabled: true);
        var (email, id) = await OtpTestFlows.CreateUserAsync(server, name);

        await SignInAsync(name, email, "FirstAgent/1.0");
        await SignInAsync(name, email, "FirstAgent/1.0");
        await SignInAsync(name, email, "Second<Agent>/2.0");
        var first = await OtpTestFlows.WaitForMailsAsync(_smtp, email, 1);
        await SignInAsync(name, email, "Second<Agent>/2.0");
        await SignInAsync(name, email, "FirstAgent/1.0");
        using var signedIn = server.NewClient(await SignInAsync(name, email, "ThirdAgent/3.0"));
        var (impersonated, _) = await server.Superuser.PostJsonAsync($"/api/collections/{name}/impersonate/{id}", new { });
        var (refreshed, _) = await signedIn.PostJsonAsync($"/api/collections/{name}/auth-refresh", null);
        var mails = await OtpTestFlows.WaitForMailsAsync(_smtp, email, 2);

        Assert.Single(first);
        Assert.Equal(HttpStatusCode.OK, impersonated);
        Assert.Equal(HttpStatusCode.OK, refreshed);
        Assert.Equal(2, mails.Count);
        var bodies = mails.Select(m => m.Parse()).ToList();
        Assert.All(bodies, b => Assert.Equal("New sign-in to Basalt Otp", b.Subject));
        Assert.Contains("Second&lt;Agent&gt;/2.0", bodies[0].HtmlBody, StringComparison.Ordinal);
        Assert.Contains("ThirdAgent/3.0", bodies[1].HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain(bodies, b => (b.HtmlBody ?? "").Contains("FirstAgent", StringComparison.Ordinal));
    }

    [Fact]
    public async Task At_most_five_devices_are_remembered()
    {
        var name = await CreateAlertCollectionAsync(enabled: true);
        var (email, _) = await OtpTestFlows.CreateUserAsync(server, name);

        for (var i = 0; i <= 5; i++)
        {
            await SignInAsync(name, email, "Agent/" + i);
        }

        await OtpTestFlows.WaitForMailsAsync(_smtp, email, 5);
        await SignInAsync(name, email, "Agent/0");
        var mails = await OtpTestFlows.WaitForMailsAsync(_smtp, email, 6);

        Assert.Contains("Agent/0", mails[5].Parse().HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disabled_alerts_send_nothing()
    {
        var name = await CreateAlertCollectionAsync(enabled: false);
        var (email, _) = await OtpTestFlows.CreateUserAsync(server, name);
        var (otherEmail, _) = await OtpTestFlows.CreateUserAsync(server, name);

        await SignInAsync(name, email, "FirstAgent/1.0");
        await SignInAsync(name, email, "SecondAgent/2.0");
        var (otpId, code) = await OtpTestFlows.RequestCodeAsync(server, _smtp, name, otherEmail);
        var (status, _) = await server.Guest.PostJsonAsync($"/api/collections/{name}/auth-with-otp", new { otpId, password = code });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain(_smtp.Messages, m => m.Recipients.Contains(email, StringComparer.OrdinalIgnoreCase));
    }

    private async Task<string> SignInAsync(string collection, string email, string userAgent)
    {
        using var client = server.NewClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", userAgent);
        var (status, body) = await client.PostJsonAsync($"/api/collections/{collection}/auth-with-password", new { identity = email, password = OtpTestFlows.Password });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        return body!["token"]!.GetValue<string>();
    }

    private Task<string> CreateAlertCollectionAsync(bool enabled) =>
        OtpTestFlows.CreateCollectionAsync(server, new JsonObject
        {
            ["authAlert"] = new JsonObject
            {
                ["enabled"] = enabled,
                ["emailTemplate"] = new JsonObject { ["subject"] = "New sign-in to {APP_NAME}", ["body"] = "<p>From {ALERT_INFO}</p>" },
            },
        });
}

/// <summary>Login alerts on SQLite.</summary>
public sealed class LoginAlertSqliteTests(SqliteServerFixture f) : LoginAlertTests(f), IClassFixture<SqliteServerFixture>;

/// <summary>Login alerts on PostgreSQL.</summary>
public sealed class LoginAlertPostgresTests(PostgresServerFixture f) : LoginAlertTests(f), IClassFixture<PostgresServerFixture>;
