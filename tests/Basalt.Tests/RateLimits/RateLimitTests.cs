using System.Net;
using System.Text.Json.Nodes;
using Basalt.Settings;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.RateLimits;

/// <summary>
/// Rate limits (§1.6) end to end. The fixture starts with limits off; each test turns them on with its rules and a
/// trusted <c>X-Forwarded-For</c>, and sends from its own made-up client IPs so no test sees another's counts.
/// </summary>
public abstract partial class RateLimitTests(BasaltServerFixture server)
{
    private static int s_nextIp;

    [Fact]
    public async Task Brute_force_on_auth_with_password_gets_429_after_two_in_three_seconds_with_the_default_rules()
    {
        var users = await AuthCollections.CreateAsync(server, null);
        var (_, user) = await server.Superuser.PostJsonAsync($"/api/collections/{users}/records", new { email = "bf@example.com", password = "right-password-1", passwordConfirm = "right-password-1" });
        var applied = await LimitsAsync(AppSettings.Default.RateLimits.ToJson());
        var ip = NextIp();
        var signIn = $"/api/collections/{users}/auth-with-password";
        var (_, before) = await server.Superuser.GetJsonAsync($"/api/collections/{users}/records/{user!["id"]}");

        // Sent at once, so all five land in one 3 s window however slow bcrypt is on a busy machine.
        var attempts = await Task.WhenAll(Enumerable.Range(0, 5).Select(i =>
            SendAsync(HttpMethod.Post, signIn, ip, new { identity = "bf@example.com", password = "wrong-" + i })));
        var otherIp = await SendAsync(HttpMethod.Post, signIn, NextIp(), new { identity = "bf@example.com", password = "right-password-1" });
        var (_, after) = await server.Superuser.GetJsonAsync($"/api/collections/{users}/records/{user["id"]}");

        Assert.Equal("*:auth", applied["rules"]![0]!["label"]!.GetValue<string>());
        Assert.Equal(2, attempts.Count(a => a.Status == HttpStatusCode.BadRequest));
        var refused = attempts.Where(a => a.Status == (HttpStatusCode)429).ToList();
        Assert.Equal(3, refused.Count);
        Assert.All(refused, r => Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"status":429,"message":"Too Many Requests.","data":{}}"""), r.Body), r.Body?.ToJsonString()));
        Assert.Equal(HttpStatusCode.OK, otherIp.Status);
        Assert.Equal(before!.ToJsonString(), after!.ToJsonString());
    }

    [Fact]
    public async Task Creates_over_the_wildcard_create_rule_get_429_and_store_nothing()
    {
        var posts = await PostsAsync();
        await LimitsAsync(Rules(("*:create", "", 60, 3)));
        var ip = NextIp();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await SendAsync(HttpMethod.Post, $"/api/collections/{posts}/records", ip, new { title = "t" + i })).Status);
        }

        var (_, list) = await server.Superuser.GetJsonAsync($"/api/collections/{posts}/records");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, (HttpStatusCode)429, (HttpStatusCode)429], statuses);
        Assert.Equal(3, list!["totalItems"]!.GetValue<int>());
        var refusals = server.Logs.WithId(Basalt.Common.BasaltEventIds.RateLimitRefused).Where(e => Equals(e["Ip"], ip)).ToList();
        Assert.Equal(2, refusals.Count);
        Assert.All(refusals, e => Assert.Equal((Microsoft.Extensions.Logging.LogLevel.Debug, "*:create"), (e.Level, e["Label"])));
    }

    [Fact]
    public async Task A_collection_specific_rule_beats_the_wildcard()
    {
        var special = await PostsAsync();
        var other = await PostsAsync();
        await LimitsAsync(Rules(("*:create", "", 60, 1), ($"{special}:create", "", 60, 3)));
        var ip = NextIp();

        var onSpecial = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            onSpecial.Add((await SendAsync(HttpMethod.Post, $"/api/collections/{special}/records", ip, new { title = "s" })).Status);
        }

        var onOther1 = await SendAsync(HttpMethod.Post, $"/api/collections/{other}/records", ip, new { title = "o" });
        var onOther2 = await SendAsync(HttpMethod.Post, $"/api/collections/{other}/records", ip, new { title = "o" });

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, (HttpStatusCode)429], onSpecial);
        Assert.Equal(HttpStatusCode.OK, onOther1.Status);
        Assert.Equal((HttpStatusCode)429, onOther2.Status);
    }

    [Fact]
    public async Task Ipv6_addresses_of_one_64_share_a_limit_and_of_another_64_do_not()
    {
        var posts = await PostsAsync();
        await LimitsAsync(Rules(($"{posts}:list", "", 60, 2)));
        var prefix = $"2001:db8:{Interlocked.Increment(ref s_nextIp):x}:{Random.Shared.Next(0x10000):x}";
        var list = $"/api/collections/{posts}/records";

        var sameNetwork = new List<HttpStatusCode>();
        foreach (var host in new[] { "::1", "::2", ":ffff:ffff:ffff:ffff" })
        {
            sameNetwork.Add((await SendAsync(HttpMethod.Get, list, prefix + host)).Status);
        }

        var otherNetwork = await SendAsync(HttpMethod.Get, list, $"2001:db8:{Interlocked.Increment(ref s_nextIp):x}:{Random.Shared.Next(0x10000):x}::1");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, (HttpStatusCode)429], sameNetwork);
        Assert.Equal(HttpStatusCode.OK, otherNetwork.Status);
    }

    [Fact]
    public async Task A_rule_applies_only_to_its_audience()
    {
        var posts = await PostsAsync();
        var users = await AuthCollections.CreateAsync(server, null);
        await server.Superuser.PostJsonAsync($"/api/collections/{users}/records", new { email = "aud@example.com", password = "aud-password-1", passwordConfirm = "aud-password-1" });
        await LimitsAsync(Rules(($"{posts}:list", "@guest", 60, 1), ($"{posts}:view", "@auth", 60, 1)));
        using var user = await server.SignInAsync(users, "aud@example.com", "aud-password-1");
        var list = $"/api/collections/{posts}/records";
        var ip = NextIp();

        var guest1 = await SendAsync(HttpMethod.Get, list, ip);
        var guest2 = await SendAsync(HttpMethod.Get, list, ip);
        var users1 = await SendAsync(HttpMethod.Get, list, ip, client: user);
        var users2 = await SendAsync(HttpMethod.Get, list, ip, client: user);
        var users3 = await SendAsync(HttpMethod.Get, list, ip, client: user);
        var (_, created) = await server.Superuser.PostJsonAsync(list, new { title = "v" });
        var view = $"{list}/{created!["id"]}";
        var guestViews = new[] { await SendAsync(HttpMethod.Get, view, ip), await SendAsync(HttpMethod.Get, view, ip) };
        var userView1 = await SendAsync(HttpMethod.Get, view, ip, client: user);
        var userView2 = await SendAsync(HttpMethod.Get, view, ip, client: user);

        Assert.Equal(HttpStatusCode.OK, guest1.Status);
        Assert.Equal((HttpStatusCode)429, guest2.Status);
        Assert.All([users1, users2, users3], r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.All(guestViews, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.Equal(HttpStatusCode.OK, userView1.Status);
        Assert.Equal((HttpStatusCode)429, userView2.Status);
    }

    [Fact]
    public async Task Excluded_ips_and_ranges_are_never_limited()
    {
        var posts = await PostsAsync();
        var limits = Rules(($"{posts}:list", "", 60, 1));
        limits["excludedIPs"] = new JsonArray("10.250.0.0/16", "192.0.2.7");
        await LimitsAsync(limits);

        var inRange = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            inRange.Add((await SendAsync(HttpMethod.Get, $"/api/collections/{posts}/records", "10.250.3." + (i + 1))).Status);
            inRange.Add((await SendAsync(HttpMethod.Get, $"/api/collections/{posts}/records", "192.0.2.7")).Status);
        }

        var ip = NextIp();
        var outside1 = await SendAsync(HttpMethod.Get, $"/api/collections/{posts}/records", ip);
        var outside2 = await SendAsync(HttpMethod.Get, $"/api/collections/{posts}/records", ip);

        Assert.All(inRange, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.OK, outside1.Status);
        Assert.Equal((HttpStatusCode)429, outside2.Status);
    }

    [Fact]
    public async Task Superusers_are_never_limited()
    {
        var posts = await PostsAsync();
        await LimitsAsync(Rules(("/api/", "", 60, 1)));
        var ip = NextIp();

        var superuser = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            superuser.Add((await SendAsync(HttpMethod.Get, $"/api/collections/{posts}/records", ip, client: server.Superuser)).Status);
        }

        var guest1 = await SendAsync(HttpMethod.Get, $"/api/collections/{posts}/records", ip);
        var guest2 = await SendAsync(HttpMethod.Get, "/api/health", ip);

        Assert.All(superuser, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.OK, guest1.Status);
        Assert.Equal((HttpStatusCode)429, guest2.Status);
    }

    [Fact]
    public async Task The_trusted_proxy_header_gives_the_right_most_or_the_left_most_valid_ip()
    {
        var posts = await PostsAsync();
        var list = $"/api/collections/{posts}/records";
        await LimitsAsync(Rules(($"{posts}:list", "", 60, 1)));
        var proxy = NextIp();

        // Right-most: what the nearest proxy appended; what a client wrote before it (and junk) cannot dodge the limit.
        var right1 = await SendAsync(HttpMethod.Get, list, "203.0.113.1, " + proxy);
        var right2 = await SendAsync(HttpMethod.Get, list, "203.0.113.2, " + proxy + ", not-an-ip");

        await LimitsAsync(Rules(($"{posts}:list", "", 60, 1)), leftmost: true);
        var client = NextIp();
        var left1 = await SendAsync(HttpMethod.Get, list, client + ", " + NextIp());
        var left2 = await SendAsync(HttpMethod.Get, list, "junk, " + client + ", " + NextIp());

        Assert.Equal(HttpStatusCode.OK, right1.Status);
        Assert.Equal((HttpStatusCode)429, right2.Status);
        Assert.Equal(HttpStatusCode.OK, left1.Status);
        Assert.Equal((HttpStatusCode)429, left2.Status);
    }

    [Fact]
    public async Task Health_shows_superusers_the_resolved_client_ip()
    {
        await LimitsAsync(new JsonObject { ["enabled"] = false });
        var ip = NextIp();

        var health = await SendAsync(HttpMethod.Get, "/api/health", "198.51.100.9, " + ip, client: server.Superuser);

        Assert.Equal(ip, health.Body!["data"]!["realIP"]!.GetValue<string>());
        Assert.Equal("", health.Body["data"]!["possibleProxyHeader"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_trusted_headers_the_connection_address_is_the_client()
    {
        var posts = await PostsAsync();
        var limits = Rules(($"{posts}:list", "", 60, 1));
        using var response = await server.Superuser.PatchAsJsonAsync("/api/settings", new JsonObject { ["rateLimits"] = limits, ["trustedProxy"] = new JsonObject { ["headers"] = new JsonArray() } });
        response.EnsureSuccessStatusCode();

        var first = await SendAsync(HttpMethod.Get, $"/api/collections/{posts}/records", NextIp());
        var second = await SendAsync(HttpMethod.Get, $"/api/collections/{posts}/records", NextIp());

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal((HttpStatusCode)429, second.Status);
    }

    [Fact]
    public async Task A_limit_recovers_after_its_window()
    {
        var posts = await PostsAsync();
        await LimitsAsync(Rules(($"GET /api/collections/{posts}/records", "", 1, 1)));
        var ip = NextIp();

        var first = await SendAsync(HttpMethod.Get, $"/api/collections/{posts}/records", ip);
        var second = await SendAsync(HttpMethod.Get, $"/api/collections/{posts}/records", ip);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var recovered = HttpStatusCode.TooManyRequests;
        while (recovered != HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            recovered = (await SendAsync(HttpMethod.Get, $"/api/collections/{posts}/records", ip)).Status;
        }

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal((HttpStatusCode)429, second.Status);
        Assert.Equal(HttpStatusCode.OK, recovered);
    }

    [Fact]
    public async Task Superuser_ips_refuse_superusers_from_other_ips()
    {
        await LimitsAsync(new JsonObject { ["enabled"] = false });
        var (set, _) = await server.Superuser.PatchJsonAsync("/api/settings", """{"superuserIPs": ["10.9.0.0/16", "192.0.2.1"]}""");
        try
        {
            var local = await SendAsync(HttpMethod.Get, "/api/settings", null, client: server.Superuser);
            var outside = await SendAsync(HttpMethod.Get, "/api/collections", "10.10.0.1", client: server.Superuser);
            var inRange = await SendAsync(HttpMethod.Get, "/api/collections", "10.9.200.1", client: server.Superuser);
            var listed = await SendAsync(HttpMethod.Get, "/api/settings", "192.0.2.1", client: server.Superuser);
            var guest = await SendAsync(HttpMethod.Get, "/api/health", "10.10.0.1");
            var credentials = new { identity = BasaltServerFixture.SuperuserEmail, password = BasaltServerFixture.SuperuserPassword };
            const string signInUrl = "/api/collections/_superusers/auth-with-password";
            var signInOutside = await SendAsync(HttpMethod.Post, signInUrl, "10.10.0.1", credentials);
            var signInInRange = await SendAsync(HttpMethod.Post, signInUrl, "10.9.0.7", credentials);

            Assert.Equal(HttpStatusCode.OK, set);
            Assert.Equal(HttpStatusCode.Forbidden, local.Status);
            Assert.Equal(403, local.Body!["status"]!.GetValue<int>());
            Assert.Equal(HttpStatusCode.Forbidden, outside.Status);
            Assert.Equal(HttpStatusCode.OK, inRange.Status);
            Assert.Equal(HttpStatusCode.OK, listed.Status);
            Assert.Equal(HttpStatusCode.OK, guest.Status);
            Assert.Equal(HttpStatusCode.Forbidden, signInOutside.Status);
            Assert.Null(signInOutside.Body!["token"]);
            Assert.Equal(HttpStatusCode.OK, signInInRange.Status);
        }
        finally
        {
            using var reset = new HttpRequestMessage(HttpMethod.Patch, "/api/settings") { Content = JsonContent.Create(new { superuserIPs = Array.Empty<string>() }) };
            reset.Headers.Add("X-Forwarded-For", "192.0.2.1");
            using var response = await server.Superuser.SendAsync(reset);
            response.EnsureSuccessStatusCode();
        }
    }

    private static string Spell(string variant, string collection) =>
        variant.Replace("{c}", collection, StringComparison.Ordinal).Replace("{C}", collection.ToUpperInvariant(), StringComparison.Ordinal);

    /// <summary>Sends <paramref name="path"/> byte for byte: no dot-segment removal, no unescaping by the client.</summary>
    private Task<(HttpStatusCode Status, JsonNode? Body)> SendRawAsync(HttpMethod method, string path, string forwardedFor, object? body = null)
    {
        var uri = new Uri(server.BaseAddress.ToString().TrimEnd('/') + path, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        return SendAsync(method, uri, forwardedFor, body);
    }

    private static string NextIp()
    {
        var n = Interlocked.Increment(ref s_nextIp) + (Random.Shared.Next(1000) * 1000);
        return $"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}";
    }

    private static JsonObject Rules(params (string Label, string Audience, int Duration, int MaxRequests)[] rules) => new()
    {
        ["enabled"] = true,
        ["excludedIPs"] = new JsonArray(),
        ["rules"] = new JsonArray([.. rules.Select(r => (JsonNode)new JsonObject
        {
            ["label"] = r.Label,
            ["audience"] = r.Audience,
            ["duration"] = r.Duration,
            ["maxRequests"] = r.MaxRequests,
        })]),
    };

    /// <summary>Sets <c>rateLimits</c> and trusts <c>X-Forwarded-For</c>; returns the rate limits as applied.</summary>
    private async Task<JsonNode> LimitsAsync(JsonObject rateLimits, bool leftmost = false)
    {
        var (status, body) = await server.Superuser.PatchJsonAsync("/api/settings", new JsonObject
        {
            ["rateLimits"] = rateLimits,
            ["trustedProxy"] = new JsonObject { ["headers"] = new JsonArray("X-Forwarded-For"), ["useLeftmostIP"] = leftmost },
        }.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        return body!["rateLimits"]!;
    }

    private async Task<string> PostsAsync()
    {
        var name = HttpJson.UniqueName("limited");
        var (status, body) = await server.Superuser.PostJsonAsync("/api/collections", new
        {
            name,
            type = "base",
            fields = new[] { new { name = "title", type = "text" } },
            listRule = "",
            viewRule = "",
            createRule = "",
        });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        return name;
    }

    private Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string url, string? forwardedFor, object? body = null, HttpClient? client = null) =>
        SendAsync(method, new Uri(url, UriKind.Relative), forwardedFor, body, client);

    private async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, Uri url, string? forwardedFor, object? body = null, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        using var response = await (client ?? server.Guest).SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }
}

/// <summary>Rate limits on SQLite.</summary>
public sealed class RateLimitSqliteTests(SqliteServerFixture f) : RateLimitTests(f), IClassFixture<SqliteServerFixture>;

/// <summary>Rate limits on PostgreSQL.</summary>
public sealed class RateLimitPostgresTests(PostgresServerFixture f) : RateLimitTests(f), IClassFixture<PostgresServerFixture>;
