using System.Net;
using System.Text.Json.Nodes;
using Basalt.Tests.Auth;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Storage;

/// <summary>
/// Two nodes on one PostgreSQL share what one node keeps: a collection, settings or token-secret change made on node A
/// is used by node B (signalled by <c>NOTIFY</c>, reloaded on B), rate limits count the requests of both, one-time codes
/// and MFA sessions started on A finish on B, and each node sees the other through <c>GET /api/health</c>.
/// </summary>
public sealed class SharedStateAcrossNodesTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>, IAsyncLifetime, IAsyncDisposable
{
    private const int OtpAttemptLimiterMaxFailures = Basalt.Auth.OtpAttemptLimiter.MaxFailures;

    private readonly SmtpTestServer _smtp = new();

    public Task InitializeAsync() => OtpTestFlows.UseSmtpAsync(cluster.A, _smtp);

    public async Task DisposeAsync() => await _smtp.DisposeAsync();

    ValueTask IAsyncDisposable.DisposeAsync() => _smtp.DisposeAsync();

    [Fact(Timeout = 120_000)]
    public async Task A_collection_and_its_rule_changed_on_node_A_are_used_by_node_B()
    {
        var name = HttpJson.UniqueName("follow");
        var (status, body) = await cluster.A.Superuser.PostJsonAsync("/api/collections", new JsonObject
        {
            ["name"] = name,
            ["type"] = "base",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "title", ["type"] = "text" }),
        }.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        await EventuallyAsync(async () => (await cluster.B.Guest.GetJsonAsync($"/api/collections/{name}/records")).Status == HttpStatusCode.Forbidden);

        (status, body) = await cluster.A.Superuser.PatchJsonAsync($"/api/collections/{name}", new { listRule = "" });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        await EventuallyAsync(async () => (await cluster.B.Guest.GetJsonAsync($"/api/collections/{name}/records")).Status == HttpStatusCode.OK);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_settings_change_on_node_A_is_used_by_node_B()
    {
        var appName = "Cluster " + Guid.NewGuid().ToString("N")[..6];
        var (status, body) = await cluster.A.Superuser.PatchJsonAsync("/api/settings", new { meta = new { appName } });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        await EventuallyAsync(async () => (await cluster.B.Superuser.GetJsonAsync("/api/settings")).Body?["meta"]?["appName"]?.GetValue<string>() == appName);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_token_secret_reset_on_node_A_ends_the_tokens_node_B_checks()
    {
        var name = await OtpTestFlows.CreateCollectionAsync(cluster.A);
        var (email, _) = await OtpTestFlows.CreateUserAsync(cluster.A, name);
        await EventuallyAsync(async () => (await cluster.B.Guest.PostJsonAsync(
            $"/api/collections/{name}/auth-with-password", new { identity = email, password = OtpTestFlows.Password })).Status == HttpStatusCode.OK);
        var signedIn = await cluster.B.SignInAsync(name, email, OtpTestFlows.Password);
        Assert.Equal(HttpStatusCode.OK, (await signedIn.PostJsonAsync($"/api/collections/{name}/auth-refresh", null)).Status);

        var secret = new string('s', 25) + Guid.NewGuid().ToString("N");
        var (status, body) = await cluster.A.Superuser.PatchJsonAsync($"/api/collections/{name}", new { authToken = new { secret } });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        await EventuallyAsync(async () => (await signedIn.PostJsonAsync($"/api/collections/{name}/auth-refresh", null)).Status == HttpStatusCode.Unauthorized);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_rate_limit_counts_the_requests_of_both_nodes()
    {
        var name = await cluster.A.Superuser.CreateOpenCollectionAsync("limited");
        var limits = new JsonObject
        {
            ["enabled"] = true,
            ["excludedIPs"] = new JsonArray(),
            ["rules"] = new JsonArray(new JsonObject { ["label"] = name + ":list", ["audience"] = "", ["duration"] = 300, ["maxRequests"] = 4 }),
        };
        var (status, body) = await cluster.A.Superuser.PatchJsonAsync("/api/settings", new JsonObject { ["rateLimits"] = limits }.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        try
        {
            await EventuallyAsync(async () => (await cluster.B.Superuser.GetJsonAsync("/api/settings")).Body?["rateLimits"]?["enabled"]?.GetValue<bool>() == true);
            var answers = new List<HttpStatusCode>();
            foreach (var node in new[] { cluster.A, cluster.B, cluster.A, cluster.B, cluster.A, cluster.B })
            {
                answers.Add((await node.Guest.GetJsonAsync($"/api/collections/{name}/records")).Status);
            }

            Assert.Equal(
                [HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests],
                answers);
        }
        finally
        {
            using var off = await cluster.A.Superuser.PatchAsJsonAsync("/api/settings", new { rateLimits = new { enabled = false, rules = Array.Empty<object>() } });
            off.EnsureSuccessStatusCode();
            await EventuallyAsync(async () => (await cluster.B.Superuser.GetJsonAsync("/api/settings")).Body?["rateLimits"]?["enabled"]?.GetValue<bool>() == false);
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task An_otp_requested_on_node_A_signs_in_on_node_B()
    {
        var name = await OtpTestFlows.CreateCollectionAsync(cluster.A);
        var (email, id) = await OtpTestFlows.CreateUserAsync(cluster.A, name);
        var (otpId, code) = await OtpTestFlows.RequestCodeAsync(cluster.A, _smtp, name, email);

        var (status, body) = await cluster.B.Guest.PostJsonAsync($"/api/collections/{name}/auth-with-otp", new { otpId, password = code });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        Assert.Equal(id, body!["record"]!["id"]!.GetValue<string>());
    }

    [Fact(Timeout = 120_000)]
    public async Task Wrong_otp_guesses_count_on_both_nodes()
    {
        var name = await OtpTestFlows.CreateCollectionAsync(cluster.A);
        var (email, _) = await OtpTestFlows.CreateUserAsync(cluster.A, name);
        var (otpId, code) = await OtpTestFlows.RequestCodeAsync(cluster.A, _smtp, name, email);
        var wrong = code == "000000" ? "111111" : "000000";

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i <= OtpAttemptLimiterMaxFailures; i++)
        {
            var node = i % 2 == 0 ? cluster.A : cluster.B;
            answers.Add((await node.Guest.PostJsonAsync($"/api/collections/{name}/auth-with-otp", new { otpId, password = wrong })).Status);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.BadRequest, OtpAttemptLimiterMaxFailures), HttpStatusCode.TooManyRequests], answers);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await cluster.B.Guest.PostJsonAsync($"/api/collections/{name}/auth-with-otp", new { otpId, password = code })).Status);
    }

    [Fact(Timeout = 120_000)]
    public async Task An_mfa_session_started_on_node_A_finishes_on_node_B()
    {
        var name = await OtpTestFlows.CreateCollectionAsync(cluster.A, new JsonObject { ["mfa"] = new JsonObject { ["enabled"] = true, ["rule"] = "" } });
        var (email, id) = await OtpTestFlows.CreateUserAsync(cluster.A, name);
        var (challenge, challengeBody) = await cluster.A.Guest.PostJsonAsync(
            $"/api/collections/{name}/auth-with-password", new { identity = email, password = OtpTestFlows.Password });
        Assert.True(challenge == HttpStatusCode.Unauthorized, challengeBody?.ToJsonString());
        var mfaId = challengeBody!["mfaId"]!.GetValue<string>();

        await EventuallyAsync(async () => (await cluster.B.Guest.GetJsonAsync($"/api/collections/{name}/auth-methods")).Status == HttpStatusCode.OK);
        var (otpId, code) = await OtpTestFlows.RequestCodeAsync(cluster.B, _smtp, name, email);
        var (status, body) = await cluster.B.Guest.PostJsonAsync($"/api/collections/{name}/auth-with-otp", new { otpId, password = code, mfaId });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        Assert.Equal(id, body!["record"]!["id"]!.GetValue<string>());
    }

    [Fact(Timeout = 120_000)]
    public async Task Health_names_the_node_and_lists_the_other_as_a_peer()
    {
        var (_, a) = await cluster.A.Superuser.GetJsonAsync("/api/health");
        var bId = (await cluster.B.Superuser.GetJsonAsync("/api/health")).Body!["data"]!["node"]!["id"]!.GetValue<string>();
        Assert.NotEqual(bId, a!["data"]!["node"]!["id"]!.GetValue<string>());
        await EventuallyAsync(async () => (await cluster.A.Superuser.GetJsonAsync("/api/health")).Body!["data"]!["node"]!["peers"]!.AsArray()
            .Any(p => p!["id"]!.GetValue<string>() == bId));

        var (guestStatus, guest) = await cluster.A.Guest.GetJsonAsync("/api/health");
        Assert.Equal(HttpStatusCode.OK, guestStatus);
        Assert.Null(guest!["data"]!["node"]);
    }

    /// <summary>Polls <paramref name="condition"/> until it holds, or fails after a deadline (a signal travels asynchronously).</summary>
    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the change did not reach the other node within 30 s");
            await Task.Delay(20);
        }
    }
}
