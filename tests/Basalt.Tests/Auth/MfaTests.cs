using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Basalt.Model;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Auth;

/// <summary>
/// MFA (§7.4) end to end: the first method answers <c>401 {"mfaId"}</c>, a different second method presenting the id
/// gets the token, and the same method, a foreign, unknown or expired id are refused with the envelope.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "xunit disposes the SMTP server through IAsyncLifetime.DisposeAsync.")]
public abstract class MfaTests(BasaltServerFixture server) : IAsyncLifetime
{
    private readonly SmtpTestServer _smtp = new();

    public Task InitializeAsync() => OtpTestFlows.UseSmtpAsync(server, _smtp);

    public async Task DisposeAsync() => await _smtp.DisposeAsync();

    [Fact]
    public async Task Password_then_otp_signs_in_and_spends_the_challenge()
    {
        var name = await CreateMfaCollectionAsync("");
        var (email, id) = await OtpTestFlows.CreateUserAsync(server, name);

        var mfaId = await ChallengeByPasswordAsync(name, email);
        var (otpId, code) = await OtpTestFlows.RequestCodeAsync(server, _smtp, name, email);
        var (status, body) = await server.Guest.PostJsonAsync($"/api/collections/{name}/auth-with-otp", new { otpId, password = code, mfaId });
        var (again, againBody) = await server.Guest.PostJsonAsync(
            $"/api/collections/{name}/auth-with-password", new { identity = email, password = OtpTestFlows.Password, mfaId });

        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        Assert.Equal(id, body!["record"]!["id"]!.GetValue<string>());
        Assert.NotEmpty(body["token"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, again);
        Assert.Equal("Invalid or expired MFA session.", againBody!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Otp_then_password_with_mfaId_in_the_query_signs_in()
    {
        var name = await CreateMfaCollectionAsync("");
        var (email, _) = await OtpTestFlows.CreateUserAsync(server, name);

        var (otpId, code) = await OtpTestFlows.RequestCodeAsync(server, _smtp, name, email);
        var (challenged, challenge) = await server.Guest.PostJsonAsync($"/api/collections/{name}/auth-with-otp", new { otpId, password = code });
        var mfaId = challenge!["mfaId"]!.GetValue<string>();
        var (status, body) = await server.Guest.PostJsonAsync(
            $"/api/collections/{name}/auth-with-password?mfaId={mfaId}", new { identity = email, password = OtpTestFlows.Password });

        Assert.Equal(HttpStatusCode.Unauthorized, challenged);
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        Assert.NotEmpty(body!["token"]!.GetValue<string>());
    }

    [Fact]
    public async Task Same_method_twice_and_bad_ids_are_refused()
    {
        var name = await CreateMfaCollectionAsync("");
        var (email, _) = await OtpTestFlows.CreateUserAsync(server, name);
        var (otherEmail, _) = await OtpTestFlows.CreateUserAsync(server, name);

        var mfaId = await ChallengeByPasswordAsync(name, email);
        var (same, sameBody) = await server.Guest.PostJsonAsync(
            $"/api/collections/{name}/auth-with-password", new { identity = email, password = OtpTestFlows.Password, mfaId });
        var (unknown, unknownBody) = await server.Guest.PostJsonAsync(
            $"/api/collections/{name}/auth-with-password", new { identity = email, password = OtpTestFlows.Password, mfaId = "nosuchmfa000000" });
        var (otpId, code) = await OtpTestFlows.RequestCodeAsync(server, _smtp, name, otherEmail);
        var (foreign, foreignBody) = await server.Guest.PostJsonAsync($"/api/collections/{name}/auth-with-otp", new { otpId, password = code, mfaId });

        Assert.Equal(HttpStatusCode.BadRequest, same);
        Assert.Equal("A different authentication method is required.", sameBody!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, unknown);
        Assert.Equal("Invalid or expired MFA session.", unknownBody!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, foreign);
        Assert.Equal("Invalid or expired MFA session.", foreignBody!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Expired_challenge_is_refused()
    {
        var name = await CreateMfaCollectionAsync("");
        var (email, _) = await OtpTestFlows.CreateUserAsync(server, name);

        var mfaId = await ChallengeByPasswordAsync(name, email);
        await OtpTestFlows.AgeRowAsync(server, AuthSystemCollections.Mfas, mfaId);
        var (otpId, code) = await OtpTestFlows.RequestCodeAsync(server, _smtp, name, email);
        var (status, body) = await server.Guest.PostJsonAsync($"/api/collections/{name}/auth-with-otp", new { otpId, password = code, mfaId });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Invalid or expired MFA session.", body!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Records_outside_the_mfa_rule_sign_in_with_one_method()
    {
        var name = await CreateMfaCollectionAsync("username = 'strict'");
        var (relaxed, _) = await OtpTestFlows.CreateUserAsync(server, name, "relaxed");
        var (strict, _) = await OtpTestFlows.CreateUserAsync(server, name, "strict");

        var (relaxedStatus, relaxedBody) = await server.Guest.PostJsonAsync(
            $"/api/collections/{name}/auth-with-password", new { identity = relaxed, password = OtpTestFlows.Password });
        var (strictStatus, _) = await server.Guest.PostJsonAsync(
            $"/api/collections/{name}/auth-with-password", new { identity = strict, password = OtpTestFlows.Password });

        Assert.True(relaxedStatus == HttpStatusCode.OK, relaxedBody?.ToJsonString());
        Assert.Equal(HttpStatusCode.Unauthorized, strictStatus);
    }

    [Fact]
    public async Task Mfa_needs_two_enabled_methods()
    {
        var (status, body) = await server.Superuser.PostJsonAsync("/api/collections", new
        {
            name = HttpJson.UniqueName("mfaone"),
            type = "auth",
            mfa = new { enabled = true },
        });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("mfa", body!["data"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Superusers_get_the_challenge_too()
    {
        var (enabled, enabledBody) = await server.Superuser.PatchJsonAsync(
            "/api/collections/_superusers", new { mfa = new { enabled = true }, otp = new { enabled = true } });
        Assert.True(enabled == HttpStatusCode.OK, enabledBody?.ToJsonString());
        try
        {
            var mfaId = await ChallengeByPasswordAsync("_superusers", BasaltServerFixture.SuperuserEmail);
            var (otpId, code) = await RequestSuperuserOtpAsync();
            var (status, body) = await server.Guest.PostJsonAsync("/api/collections/_superusers/auth-with-otp", new { otpId, password = code, mfaId });
            Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        }
        finally
        {
            var (disabled, _) = await server.Superuser.PatchJsonAsync(
                "/api/collections/_superusers", new { mfa = new { enabled = false }, otp = new { enabled = false } });
            Assert.Equal(HttpStatusCode.OK, disabled);
        }
    }

    /// <summary>Requests an OTP for the superuser and reads the code from the newest OTP mail (default template: the code in bold).</summary>
    private async Task<(string OtpId, string Code)> RequestSuperuserOtpAsync()
    {
        var to = BasaltServerFixture.SuperuserEmail;
        var before = _smtp.Messages.Count(m => m.Recipients.Contains(to, StringComparer.OrdinalIgnoreCase));
        var (status, body) = await server.Guest.PostJsonAsync("/api/collections/_superusers/request-otp", new { email = to });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        var mails = await OtpTestFlows.WaitForMailsAsync(_smtp, to, before + 1);
        var otpMail = mails.Skip(before).Select(m => m.Parse()).Last(m => (m.Subject ?? "").StartsWith("OTP", StringComparison.Ordinal));
        var match = Regex.Match(otpMail.HtmlBody ?? "", @"<strong>(\d+)</strong>");
        Assert.True(match.Success, otpMail.HtmlBody);
        return (body!["otpId"]!.GetValue<string>(), match.Groups[1].Value);
    }

    private async Task<string> ChallengeByPasswordAsync(string collection, string email)
    {
        var password = collection == "_superusers" ? BasaltServerFixture.SuperuserPassword : OtpTestFlows.Password;
        using var response = await server.Guest.PostAsync(
            $"/api/collections/{collection}/auth-with-password",
            new StringContent(new JsonObject { ["identity"] = email, ["password"] = password }.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, text);
        var body = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(["mfaId"], body.Select(p => p.Key));
        return body["mfaId"]!.GetValue<string>();
    }

    private Task<string> CreateMfaCollectionAsync(string rule) =>
        OtpTestFlows.CreateCollectionAsync(server, new JsonObject { ["mfa"] = new JsonObject { ["enabled"] = true, ["rule"] = rule } });
}

/// <summary>MFA on SQLite.</summary>
public sealed class MfaSqliteTests(SqliteServerFixture f) : MfaTests(f), IClassFixture<SqliteServerFixture>;

/// <summary>MFA on PostgreSQL.</summary>
public sealed class MfaPostgresTests(PostgresServerFixture f) : MfaTests(f), IClassFixture<PostgresServerFixture>;
