using Basalt.RateLimits;
using Basalt.Settings;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Basalt.Tests.RateLimits;

/// <summary>
/// The per-settings plan that lets a request skip the labels when no enforced rule can apply to it, and the route tags
/// it reads: they must be exactly the tags the labels carry, or a rule would be skipped where it applies.
/// </summary>
public sealed class RateLimitPlanTests
{
    [Theory]
    [InlineData("GET", "/api/collections/{collection}/records", "collection=posts")]
    [InlineData("POST", "/api/collections/{collection}/records", "collection=posts")]
    [InlineData("GET", "/api/collections/{collection}/records/{id}", "collection=posts;id=abc")]
    [InlineData("HEAD", "/api/collections/{collection}/records/{id}", "collection=posts;id=abc")]
    [InlineData("head", "/api/collections/{collection}/records/{id}", "collection=posts;id=abc")]
    [InlineData("PATCH", "/api/collections/{collection}/records/{id}", "collection=posts;id=abc")]
    [InlineData("DELETE", "/api/collections/{collection}/records/{id}", "collection=posts;id=abc")]
    [InlineData("PUT", "/api/collections/{collection}/records/{id}", "collection=posts;id=abc")]
    [InlineData("POST", "/api/collections/{collection}/auth-with-password", "collection=users")]
    [InlineData("post", "/api/collections/{collection}/auth-with-otp", "collection=users")]
    [InlineData("POST", "/api/collections/{collection}/request-password-reset", "collection=users")]
    [InlineData("GET", "/api/collections/{collection}/auth-methods", "collection=users")]
    [InlineData("GET", "/api/files/{collection}/{recordId}/{filename}", "collection=posts;recordId=abc;filename=a.png")]
    [InlineData("POST", "/api/batch", "")]
    [InlineData("GET", "/api/health", "")]
    [InlineData("GET", "/api/collections/{collection}/records/{id}/{extra}", "collection=posts;id=abc;extra=x")]
    [InlineData("GET", "/api/collections/{collection}/records/{id}", "collection=posts;id=")]
    [InlineData("GET", "/api/collections/{collection}/{action}", "collection=users;action=records")]
    [InlineData("POST", "/api/collections/{collection}/{action}", "collection=users;action=auth-with-password")]
    [InlineData("POST", "/API/Collections/{collection}/Auth-With-Password", "collection=users")]
    [InlineData("POST", "/api/{section}/{collection}/records", "section=collections;collection=posts")]
    public void Route_tags_are_the_tags_the_labels_carry(string method, string pattern, string values)
    {
        var context = Routed(method, pattern, values);
        var fromLabels = RateLimitLabels.For(context, new RateLimitRuleTests.NoCollections())
            .Where(l => l.StartsWith("*:", StringComparison.Ordinal))
            .Select(l => l[2..]);

        Assert.Equal(fromLabels, RateLimitLabels.TagsOf(context)!);
    }

    [Theory]
    [InlineData("/api/files/{**path}", "path=posts/abc/a.png")]
    [InlineData("/api/collections/{collection}/records/{id}.{ext}", "collection=posts;id=abc;ext=json")]
    [InlineData("/api/collections/{collection}/records/{id}", "collection=posts;id=a/b")]
    public void Routes_the_tags_cannot_be_read_from_are_left_to_the_labels(string pattern, string values)
    {
        var context = Routed("GET", pattern, values);

        Assert.Null(RateLimitLabels.TagsOf(context));
        Assert.True(RateLimitPlan.For(RateLimitSettings.Default, null).MayApply(context));
    }

    [Fact]
    public void By_default_only_routes_with_a_guarded_tag_need_their_labels()
    {
        var plan = RateLimitPlan.For(RateLimitSettings.Default, null);

        Assert.True(plan.EnforcesAny);
        Assert.False(plan.MayApply(Routed("GET", "/api/collections/{collection}/records/{id}", "collection=posts;id=abc")));
        Assert.False(plan.MayApply(Routed("POST", "/api/collections/{collection}/records", "collection=posts")));
        Assert.False(plan.MayApply(Routed("GET", "/api/health", "")));
        Assert.True(plan.MayApply(Routed("POST", "/api/collections/{collection}/auth-with-password", "collection=users")));
        Assert.True(plan.MayApply(Routed("POST", "/api/collections/{collection}/request-otp", "collection=users")));
    }

    [Fact]
    public void A_path_rule_makes_every_request_need_its_labels()
    {
        var enabled = RateLimitPlan.For(RateLimitSettings.Default with { Enabled = true }, null);
        var tagsOnly = RateLimitPlan.For(RateLimitSettings.Default with { Enabled = true, Rules = [new("*:create", "", 5, 20), new("posts:list", "@guest", 5, 2)] }, null);

        Assert.True(enabled.MayApply(Routed("GET", "/api/health", "")));
        Assert.True(enabled.MayApply(Routed("GET", "/api/collections/{collection}/records/{id}", "collection=posts;id=abc")));
        Assert.True(tagsOnly.MayApply(Routed("POST", "/api/collections/{collection}/records", "collection=posts")));
        Assert.True(tagsOnly.MayApply(Routed("GET", "/api/collections/{collection}/records", "collection=other")));
        Assert.False(tagsOnly.MayApply(Routed("GET", "/api/collections/{collection}/records/{id}", "collection=posts;id=abc")));
    }

    [Fact]
    public void A_plan_is_kept_while_its_settings_are_and_made_again_when_they_are_replaced()
    {
        var settings = RateLimitSettings.Default;
        var plan = RateLimitPlan.For(settings, null);
        var replaced = settings with { Enabled = true };

        Assert.Same(plan, RateLimitPlan.For(settings, plan));
        Assert.NotSame(plan, RateLimitPlan.For(replaced, plan));
        Assert.Same(replaced, RateLimitPlan.For(replaced, plan).Settings);
        Assert.False(RateLimitPlan.For(settings with { Rules = [new("/api/", "", 10, 300)] }, plan).EnforcesAny);
    }

    private static DefaultHttpContext Routed(string method, string pattern, string values)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        var endpoint = new RouteEndpoint(_ => Task.CompletedTask, RoutePatternFactory.Parse(pattern), 0, EndpointMetadataCollection.Empty, pattern);
        context.SetEndpoint(endpoint);
        foreach (var pair in values.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            context.Request.RouteValues[pair[..equals]] = pair[(equals + 1)..];
        }

        return context;
    }
}
