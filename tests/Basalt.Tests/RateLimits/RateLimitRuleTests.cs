using Basalt.Model;
using Basalt.RateLimits;
using Basalt.Settings;

namespace Basalt.Tests.RateLimits;

/// <summary>Which labels a request answers to, which single rule applies, and the bounded in-memory counters.</summary>
public sealed class RateLimitRuleTests
{
    [Theory]
    [InlineData("POST", "/api/collections/posts/records", "posts:create,*:create,POST /api/collections/posts/records,/api/collections/posts/records")]
    [InlineData("GET", "/api/collections/posts/records", "posts:list,*:list,GET /api/collections/posts/records,/api/collections/posts/records")]
    [InlineData("HEAD", "/api/collections/posts/records/abc", "posts:view,*:view,GET /api/collections/posts/records/abc,/api/collections/posts/records/abc")]
    [InlineData("PATCH", "/api/collections/posts/records/abc", "posts:update,*:update,PATCH /api/collections/posts/records/abc,/api/collections/posts/records/abc")]
    [InlineData("DELETE", "/api/collections/posts/records/abc", "posts:delete,*:delete,DELETE /api/collections/posts/records/abc,/api/collections/posts/records/abc")]
    [InlineData("POST", "/api/collections/users/auth-with-password", "users:authWithPassword,users:auth,*:authWithPassword,*:auth,POST /api/collections/users/auth-with-password,/api/collections/users/auth-with-password")]
    [InlineData("POST", "/api/collections/users/auth-with-otp", "users:authWithOTP,users:auth,*:authWithOTP,*:auth,POST /api/collections/users/auth-with-otp,/api/collections/users/auth-with-otp")]
    [InlineData("POST", "/api/collections/users/auth-with-oauth2", "users:authWithOAuth2,users:auth,*:authWithOAuth2,*:auth,POST /api/collections/users/auth-with-oauth2,/api/collections/users/auth-with-oauth2")]
    [InlineData("POST", "/api/collections/users/request-otp", "users:requestOTP,*:requestOTP,POST /api/collections/users/request-otp,/api/collections/users/request-otp")]
    [InlineData("GET", "/api/collections/users/auth-methods", "users:listAuthMethods,*:listAuthMethods,GET /api/collections/users/auth-methods,/api/collections/users/auth-methods")]
    [InlineData("GET", "/api/files/posts/abc/a.png", "posts:file,*:file,GET /api/files/posts/abc/a.png,/api/files/posts/abc/a.png")]
    [InlineData("GET", "/api/collections/meta/scaffolds", "GET /api/collections/meta/scaffolds,/api/collections/meta/scaffolds")]
    [InlineData("POST", "/api/batch", "POST /api/batch,/api/batch")]
    public void Labels_go_from_the_most_to_the_least_specific(string method, string path, string expected)
    {
        Assert.Equal(expected.Split(','), RateLimitLabels.For(method, path, new NoCollections()));
    }

    [Fact]
    public void Only_the_most_specific_rule_applies()
    {
        var settings = AppSettings.Default.RateLimits with
        {
            Enabled = true,
            Rules =
            [
                new("/api/", "", 10, 300),
                new("/api/collections/", "", 10, 100),
                new("*:create", "", 5, 20),
                new("posts:create", "@guest", 5, 2),
                new("POST /api/collections/other/records", "", 5, 7),
                new("*:auth", "", 3, 2),
                new("*:auth", "@guest", 3, 1),
            ],
        };

        string? Find(string method, string path, string audience) =>
            settings.FindRule(RateLimitLabels.For(method, path, new NoCollections()), audience) is { } r ? r.Label + r.Audience : null;

        Assert.Equal("posts:create@guest", Find("POST", "/api/collections/posts/records", "@guest"));
        Assert.Equal("*:create", Find("POST", "/api/collections/posts/records", "@auth"));
        Assert.Equal("*:create", Find("POST", "/api/collections/other/records", "@guest"));
        Assert.Equal("/api/collections/", Find("GET", "/api/collections/posts/records", "@guest"));
        Assert.Equal("/api/", Find("GET", "/api/health", "@auth"));
        Assert.Equal("*:auth@guest", Find("POST", "/api/collections/users/auth-with-password", "@guest"));
        Assert.Equal("*:auth", Find("POST", "/api/collections/users/auth-with-password", "@auth"));
        Assert.Null(Find("GET", "/_/", "@guest"));
    }

    [Fact]
    public void While_disabled_only_the_brute_force_rules_apply()
    {
        var settings = AppSettings.Default.RateLimits with
        {
            Rules =
            [
                new("/api/", "", 10, 300),
                new("*:create", "", 5, 20),
                new("users:auth", "", 3, 2),
                new("*:requestPasswordReset", "", 60, 5),
                new("POST /api/collections/users/request-otp", "", 60, 1),
            ],
        };

        string? Find(string method, string path) =>
            settings.FindRule(RateLimitLabels.For(method, path, new NoCollections()), "@guest") is { } r ? r.Label : null;

        Assert.False(settings.Enabled);
        Assert.True(settings.EnforcesAny);
        Assert.Equal("users:auth", Find("POST", "/api/collections/users/auth-with-password"));
        Assert.Equal("*:requestPasswordReset", Find("POST", "/api/collections/users/request-password-reset"));
        Assert.Null(Find("POST", "/api/collections/users/request-otp"));
        Assert.Null(Find("POST", "/api/collections/posts/records"));
        Assert.Null(Find("GET", "/api/health"));
        Assert.False((settings with { Rules = [new("/api/", "", 10, 300)] }).EnforcesAny);
    }

    [Fact]
    public async Task Counters_use_fixed_windows_per_key()
    {
        var time = new ManualTime();
        var store = new MemoryRateLimitStore(time);
        var window = TimeSpan.FromSeconds(3);

        var results = new List<bool>();
        for (var i = 0; i < 3; i++)
        {
            results.Add(await store.TryAcquireAsync("a", 2, window, CancellationToken.None));
        }

        var otherKey = await store.TryAcquireAsync("b", 2, window, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(3));
        var afterWindow = await store.TryAcquireAsync("a", 2, window, CancellationToken.None);

        Assert.Equal([true, true, false], results);
        Assert.True(otherKey);
        Assert.True(afterWindow);
    }

    [Fact]
    public async Task Memory_stays_bounded_under_many_client_ips()
    {
        var time = new ManualTime();
        var store = new MemoryRateLimitStore(time);

        for (var i = 0; i < MemoryRateLimitStore.MaxKeys + 5000; i++)
        {
            await store.TryAcquireAsync("ip" + i, 5, TimeSpan.FromHours(1), CancellationToken.None);
        }

        Assert.True(store.Count <= MemoryRateLimitStore.MaxKeys, store.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        time.Advance(TimeSpan.FromHours(2));
        await store.TryAcquireAsync("late", 5, TimeSpan.FromHours(1), CancellationToken.None);
        Assert.Equal(1, store.Count);
    }

    /// <summary>No collection known: labels keep the name the path gives.</summary>
    internal sealed class NoCollections : ICollectionLookup
    {
        public IReadOnlyList<Collection> All => [];

        public Collection? Find(string idOrName) => null;
    }

    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
