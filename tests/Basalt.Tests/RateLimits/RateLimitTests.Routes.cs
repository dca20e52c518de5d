using System.Net;
using System.Text.Json.Nodes;
using Basalt.Model;
using Basalt.Settings;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.RateLimits;

/// <summary>Rate limits that cannot be dodged: labels by the dispatched route, the safe defaults, and proxy headers nobody trusts.</summary>
public abstract partial class RateLimitTests
{
    /// <summary>
    /// Spellings of a sign-in path that reach the same route must count against the same limit: a label is the route
    /// the request was dispatched to, not its raw text. A spelling no route answers (404) guesses no password either.
    /// </summary>
    [Theory]
    [InlineData("POST", "/API/collections/{c}/auth-with-password")]
    [InlineData("POST", "/api/Collections/{c}/AUTH-WITH-PASSWORD")]
    [InlineData("POST", "/api/collections/{c}/auth-with-password/")]
    [InlineData("POST", "/API/COLLECTIONS/{C}/AUTH-WITH-PASSWORD/")]
    [InlineData("POST", "/api//collections/{c}/auth-with-password")]
    [InlineData("POST", "//api/collections/{c}/auth-with-password")]
    [InlineData("POST", "/api/collections/{c}//auth-with-password")]
    [InlineData("POST", "/api/collections/{c}/auth%2Dwith%2Dpassword")]
    [InlineData("POST", "/%61pi/collections/{c}/auth-with-password")]
    [InlineData("POST", "/api/collections/{c}/auth-with-password%2F")]
    [InlineData("POST", "/api/collections/{c}/auth-with-password?x=1")]
    [InlineData("post", "/api/collections/{c}/auth-with-password")]
    public async Task Every_spelling_of_a_sign_in_path_is_limited_like_the_canonical_one(string method, string variant)
    {
        var users = await AuthCollections.CreateAsync(server, null);
        foreach (var collection in new[] { SystemCollections.Superusers, users })
        {
            await LimitsAsync(Rules(("*:auth", "", 60, 1)));
            var ip = NextIp();
            var wrong = new { identity = BasaltServerFixture.SuperuserEmail, password = "wrong-password" };

            var canonical = await SendAsync(HttpMethod.Post, $"/api/collections/{collection}/auth-with-password", ip, wrong);
            var spelled = await SendRawAsync(new HttpMethod(method), Spell(variant, collection), ip, wrong);

            Assert.Equal(HttpStatusCode.BadRequest, canonical.Status);
            Assert.True(spelled.Status is (HttpStatusCode)429 or HttpStatusCode.NotFound, $"{collection}: {(int)spelled.Status} {spelled.Body?.ToJsonString()}");
        }
    }

    [Theory]
    [InlineData("/API/collections/{c}/auth-with-password")]
    [InlineData("/api/collections/{c}/auth-with-password/")]
    [InlineData("/api/collections/{C}/auth-with-password")]
    public async Task A_path_label_matches_every_spelling_of_its_route(string variant)
    {
        var users = await AuthCollections.CreateAsync(server, null);
        await LimitsAsync(Rules(($"POST /api/collections/{users}/auth-with-password", "", 60, 1)));
        var ip = NextIp();
        var wrong = new { identity = "nobody@example.com", password = "wrong-password" };

        var canonical = await SendAsync(HttpMethod.Post, $"/api/collections/{users}/auth-with-password", ip, wrong);
        var spelled = await SendRawAsync(HttpMethod.Post, Spell(variant, users), ip, wrong);

        Assert.Equal(HttpStatusCode.BadRequest, canonical.Status);
        Assert.Equal((HttpStatusCode)429, spelled.Status);
    }

    [Fact]
    public async Task The_general_prefix_rule_matches_an_upper_case_path()
    {
        var posts = await PostsAsync();
        await LimitsAsync(Rules(("/api/", "", 60, 1)));
        var ip = NextIp();

        var first = await SendAsync(HttpMethod.Get, $"/api/collections/{posts}/records", ip);
        var second = await SendRawAsync(HttpMethod.Get, $"/API/COLLECTIONS/{posts}/RECORDS/", ip);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal((HttpStatusCode)429, second.Status);
    }

    /// <summary>
    /// A new database limits only brute force (sign-ins, OTP, password reset and verification requests) while
    /// <c>enabled</c> is false, as PocketBase leaves the general rules off.
    /// </summary>
    [Fact]
    public async Task The_default_settings_limit_sign_ins_and_mail_requests_but_not_the_general_api()
    {
        var posts = await PostsAsync();
        var users = await AuthCollections.CreateAsync(server, null);
        var applied = await LimitsAsync(AppSettings.Default.RateLimits.ToJson());
        var ip = NextIp();

        var lists = new List<HttpStatusCode>();
        for (var i = 0; i < 25; i++)
        {
            lists.Add((await SendAsync(HttpMethod.Post, $"/api/collections/{posts}/records", ip, new { title = "t" + i })).Status);
        }

        var signIns = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            SendAsync(HttpMethod.Post, $"/api/collections/{users}/auth-with-password", ip, new { identity = "x@example.com", password = "wrong-" + i })));
        var resets = new List<HttpStatusCode>();
        var verifications = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            resets.Add((await SendAsync(HttpMethod.Post, $"/api/collections/{users}/request-password-reset", ip, new { email = "x@example.com" })).Status);
            verifications.Add((await SendAsync(HttpMethod.Post, $"/api/collections/{users}/request-verification", ip, new { email = "x@example.com" })).Status);
        }

        Assert.False(applied["enabled"]!.GetValue<bool>());
        Assert.All(lists, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(2, signIns.Count(s => s.Status == HttpStatusCode.BadRequest));
        Assert.Equal(2, signIns.Count(s => s.Status == (HttpStatusCode)429));
        Assert.Equal((HttpStatusCode)429, resets[^1]);
        Assert.Equal((HttpStatusCode)429, verifications[^1]);
    }

    [Fact]
    public async Task Enabled_limits_enforce_the_general_rules_too()
    {
        var posts = await PostsAsync();
        var limits = AppSettings.Default.RateLimits.ToJson();
        limits["enabled"] = true;
        await LimitsAsync(limits);
        var ip = NextIp();

        // Sent at once, so all of them land in one 5 s window of *:create (20 per 5 s).
        var creates = await Task.WhenAll(Enumerable.Range(0, 25).Select(i =>
            SendAsync(HttpMethod.Post, $"/api/collections/{posts}/records", ip, new { title = "t" + i })));

        Assert.Equal(5, creates.Count(c => c.Status == (HttpStatusCode)429));
    }

    [Fact]
    public async Task Proxy_headers_from_a_loopback_peer_without_a_trusted_proxy_are_reported_to_superusers()
    {
        using (var reset = await server.Superuser.PatchAsJsonAsync("/api/settings", new JsonObject { ["trustedProxy"] = new JsonObject { ["headers"] = new JsonArray() } }))
        {
            reset.EnsureSuccessStatusCode();
        }

        using var proxied = new HttpRequestMessage(HttpMethod.Get, "/api/health");
        proxied.Headers.Add("X-Real-IP", "203.0.113.50");
        using var guestAnswer = await server.Guest.SendAsync(proxied);
        var guestBody = JsonNode.Parse(await guestAnswer.Content.ReadAsStringAsync());

        // The superuser's own request carries no proxy header: what is reported is what was seen earlier.
        var (status, health) = await server.Superuser.GetJsonAsync("/api/health");
        var trusted = await LimitsAsync(new JsonObject { ["enabled"] = false });
        var (_, afterTrusting) = await server.Superuser.GetJsonAsync("/api/health");

        Assert.Equal(HttpStatusCode.OK, guestAnswer.StatusCode);
        Assert.Equal("{}", guestBody!["data"]!.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("127.0.0.1", health!["data"]!["realIP"]!.GetValue<string>());
        Assert.True(health["data"]!["possibleProxyHeader"]!.GetValue<string>() is "X-Real-IP" or "X-Forwarded-For", health.ToJsonString());
        Assert.NotNull(trusted);
        Assert.Equal("", afterTrusting!["data"]!["possibleProxyHeader"]!.GetValue<string>());
    }
}
