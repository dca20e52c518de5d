using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text.Json.Nodes;
using Basalt.Auth;
using Basalt.Model;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Auth;

/// <summary>
/// request-otp and auth-with-otp (§7.2) end to end: the code arrives over real SMTP, signs the record in once, and every
/// wrong, expired, reused or brute-forced code is refused with the envelope.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "xunit disposes the SMTP server through IAsyncLifetime.DisposeAsync.")]
public abstract class OtpTests(BasaltServerFixture server) : IAsyncLifetime
{
    private readonly SmtpTestServer _smtp = new();

    public Task InitializeAsync() => OtpTestFlows.UseSmtpAsync(server, _smtp);

    public async Task DisposeAsync() => await _smtp.DisposeAsync();

    [Fact]
    public async Task Code_from_the_mail_signs_in_once_and_verifies_the_record()
    {
        var name = await OtpTestFlows.CreateCollectionAsync(server);
        var (email, id) = await OtpTestFlows.CreateUserAsync(server, name);

        var (otpId, code) = await OtpTestFlows.RequestCodeAsync(server, _smtp, name, email);
        var (status, body) = await server.Guest.PostJsonAsync($"/api/collections/{name}/auth-with-otp", new { otpId, password = code });
        var (reused, reusedBody) = await server.Guest.PostJsonAsync($"/api/collections/{name}/auth-with-otp", new { otpId, password = code });

        Assert.Equal(6, code.Length);
        Assert.Equal(15, otpId.Length);
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        Assert.Equal(id, body!["record"]!["id"]!.GetValue<string>());
        Assert.True(body["record"]!["verified"]!.GetValue<bool>());
        using var signedIn = server.NewClient(body["token"]!.GetValue<string>());
        var (refreshed, _) = await signedIn.PostJsonAsync($"/api/collections/{name}/auth-refresh", null);
        Assert.Equal(HttpStatusCode.OK, refreshed);
        Assert.Equal(HttpStatusCode.BadRequest, reused);
        Assert.Equal("Invalid or expired OTP.", reusedBody!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Wrong_and_expired_codes_are_refused()
    {
        var name = await OtpTestFlows.CreateCollectionAsync(server);
        var (email, _) = await OtpTestFlows.CreateUserAsync(server, name);
        var (otpId, code) = await OtpTestFlows.RequestCodeAsync(server, _smtp, name, email);

        var wrongCode = code == "000000" ? "111111" : "000000";
        var (wrong, wrongBody) = await server.Guest.PostJsonAsync($"/api/collections/{name}/auth-with-otp", new { otpId, password = wrongCode });
        var (unknown, _) = await server.Guest.PostJsonAsync($"/api/collections/{name}/auth-with-otp", new { otpId = "nosuchotp000000", password = code });
        await OtpTestFlows.AgeRowAsync(server, AuthSystemCollections.Otps, otpId);
        var (expired, expiredBody) = await server.Guest.PostJsonAsync($"/api/collections/{name}/auth-with-otp", new { otpId, password = code });
        await OtpTestFlows.RequestCodeAsync(server, _smtp, name, email, 2);

        Assert.Equal(HttpStatusCode.BadRequest, wrong);
        Assert.Equal("Invalid or expired OTP.", wrongBody!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, unknown);
        Assert.Equal(HttpStatusCode.BadRequest, expired);
        Assert.Equal("Invalid or expired OTP.", expiredBody!["message"]!.GetValue<string>());
        Assert.False(await OtpTestFlows.RowExistsAsync(server, AuthSystemCollections.Otps, otpId), "the next request purges expired codes");
    }

    [Fact]
    public async Task Form_bodies_sign_in_with_the_code_as_typed()
    {
        var name = await OtpTestFlows.CreateCollectionAsync(server);
        var (email, id) = await OtpTestFlows.CreateUserAsync(server, name);
        var (otpId, code) = await OtpTestFlows.RequestCodeAsync(server, _smtp, name, email);

        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["otpId"] = otpId, ["password"] = code });
        using var response = await server.Guest.PostAsync($"/api/collections/{name}/auth-with-otp", form);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());

        Assert.True(response.StatusCode == HttpStatusCode.OK, body?.ToJsonString());
        Assert.Equal(id, body!["record"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_strangers_failed_guesses_do_not_lock_the_owner_out_of_a_new_code()
    {
        var name = await OtpTestFlows.CreateCollectionAsync(server);
        var (email, id) = await OtpTestFlows.CreateUserAsync(server, name);
        var (strangersOtp, strangersCode) = await OtpTestFlows.RequestCodeAsync(server, _smtp, name, email);
        var wrongCode = strangersCode == "000000" ? "111111" : "000000";
        for (var i = 0; i < OtpAttemptLimiter.MaxFailures; i++)
        {
            await server.Guest.PostJsonAsync($"/api/collections/{name}/auth-with-otp", new { otpId = strangersOtp, password = wrongCode });
        }

        var (spent, _) = await server.Guest.PostJsonAsync($"/api/collections/{name}/auth-with-otp", new { otpId = strangersOtp, password = wrongCode });
        var (ownersOtp, ownersCode) = await OtpTestFlows.RequestCodeAsync(server, _smtp, name, email, nth: 2);
        var (status, body) = await server.Guest.PostJsonAsync($"/api/collections/{name}/auth-with-otp", new { otpId = ownersOtp, password = ownersCode });

        Assert.Equal(HttpStatusCode.TooManyRequests, spent);
        Assert.NotEqual(strangersOtp, ownersOtp);
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        Assert.Equal(id, body!["record"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Five_failures_block_even_the_right_code_with_429()
    {
        var name = await OtpTestFlows.CreateCollectionAsync(server);
        var (email, _) = await OtpTestFlows.CreateUserAsync(server, name);
        var (otpId, code) = await OtpTestFlows.RequestCodeAsync(server, _smtp, name, email);
        var wrongCode = code == "000000" ? "111111" : "000000";

        // Concurrent guesses cannot slip past the count: each takes its slot before the code is compared.
        var guesses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            server.Guest.PostJsonAsync($"/api/collections/{name}/auth-with-otp", new { otpId, password = wrongCode })));
        var (blocked, body) = await server.Guest.PostJsonAsync($"/api/collections/{name}/auth-with-otp", new { otpId, password = code });

        Assert.Equal(5, guesses.Count(g => g.Status == HttpStatusCode.BadRequest));
        Assert.Equal(3, guesses.Count(g => g.Status == HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked);
        Assert.Equal(429, body!["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task Unknown_email_gets_a_fake_id_and_no_mail()
    {
        var name = await OtpTestFlows.CreateCollectionAsync(server);
        var (email, _) = await OtpTestFlows.CreateUserAsync(server, name);
        var stranger = "nobody-" + Guid.NewGuid().ToString("N")[..8] + "@example.com";

        var (status, body) = await server.Guest.PostJsonAsync($"/api/collections/{name}/request-otp", new { email = stranger });
        var fakeId = body!["otpId"]!.GetValue<string>();
        await OtpTestFlows.RequestCodeAsync(server, _smtp, name, email);
        var (spent, _) = await server.Guest.PostJsonAsync($"/api/collections/{name}/auth-with-otp", new { otpId = fakeId, password = "123456" });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Single(body.AsObject());
        Assert.Matches("^[a-z0-9]{15}$", fakeId);
        Assert.DoesNotContain(_smtp.Messages, m => m.Recipients.Contains(stranger, StringComparer.OrdinalIgnoreCase));
        Assert.Equal(HttpStatusCode.BadRequest, spent);
    }

    [Fact]
    public async Task More_than_nine_live_codes_reuse_the_newest()
    {
        var name = await OtpTestFlows.CreateCollectionAsync(server);
        var (email, _) = await OtpTestFlows.CreateUserAsync(server, name);
        var ids = new List<string>();
        for (var i = 1; i <= 11; i++)
        {
            ids.Add((await OtpTestFlows.RequestCodeAsync(server, _smtp, name, email, i)).OtpId);
        }

        var (lastId, lastCode) = await OtpTestFlows.RequestCodeAsync(server, _smtp, name, email, 12);
        var (status, _) = await server.Guest.PostJsonAsync($"/api/collections/{name}/auth-with-otp", new { otpId = lastId, password = lastCode });

        Assert.Equal(10, ids.Take(10).Distinct().Count());
        Assert.Equal(ids[9], ids[10]);
        Assert.Equal(ids[9], lastId);
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Otp_disabled_is_403_on_both_routes()
    {
        var name = await AuthCollections.CreateAsync(server, null);

        var (request, requestBody) = await server.Guest.PostJsonAsync($"/api/collections/{name}/request-otp", new { email = "a@example.com" });
        var (auth, _) = await server.Guest.PostJsonAsync($"/api/collections/{name}/auth-with-otp", new { otpId = "x", password = "1" });

        Assert.Equal(HttpStatusCode.Forbidden, request);
        Assert.Equal(403, requestBody!["status"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Forbidden, auth);
    }

    [Fact]
    public async Task Bad_input_is_a_400_envelope_naming_the_field()
    {
        var name = await OtpTestFlows.CreateCollectionAsync(server);

        var (malformed, malformedBody) = await server.Guest.PostJsonAsync($"/api/collections/{name}/request-otp", "{\"email\":");
        var (missing, missingBody) = await server.Guest.PostJsonAsync($"/api/collections/{name}/request-otp", new { });
        var (invalid, invalidBody) = await server.Guest.PostJsonAsync($"/api/collections/{name}/request-otp", new { email = "not-an-email" });
        var (wrongType, wrongTypeBody) = await server.Guest.PostJsonAsync($"/api/collections/{name}/request-otp", new { email = 5 });
        var (blank, blankBody) = await server.Guest.PostJsonAsync($"/api/collections/{name}/auth-with-otp", new { });
        var (otpType, otpTypeBody) = await server.Guest.PostJsonAsync($"/api/collections/{name}/auth-with-otp", "{\"otpId\":[1],\"password\":\"1\"}");
        var (notAuth, _) = await server.Guest.PostJsonAsync("/api/collections/_otps/request-otp", new { email = "a@example.com" });

        Assert.Equal(HttpStatusCode.BadRequest, malformed);
        Assert.NotNull(malformedBody!["message"]);
        AssertField(missing, missingBody, "email");
        AssertField(invalid, invalidBody, "email");
        AssertField(wrongType, wrongTypeBody, "email");
        AssertField(blank, blankBody, "otpId");
        Assert.NotNull(blankBody!["data"]!["password"]);
        AssertField(otpType, otpTypeBody, "otpId");
        Assert.Equal(HttpStatusCode.NotFound, notAuth);
    }

    private static void AssertField(HttpStatusCode status, JsonNode? body, string field)
    {
        Assert.True(status == HttpStatusCode.BadRequest, body?.ToJsonString());
        Assert.NotNull(body!["data"]![field]!["code"]);
    }
}

/// <summary>OTP sign-in on SQLite.</summary>
public sealed class OtpSqliteTests(SqliteServerFixture f) : OtpTests(f), IClassFixture<SqliteServerFixture>;

/// <summary>OTP sign-in on PostgreSQL.</summary>
public sealed class OtpPostgresTests(PostgresServerFixture f) : OtpTests(f), IClassFixture<PostgresServerFixture>;
