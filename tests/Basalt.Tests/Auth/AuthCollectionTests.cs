using System.Net;
using System.Text.Json.Nodes;
using Basalt.Tests.Api;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Auth;

/// <summary>
/// The auth endpoints are generic: they work for any auth collection (§7), honour its options (identity fields,
/// password auth switch, authRule) and keep tokens of different collections apart.
/// </summary>
public abstract class AuthCollectionTests(BasaltServerFixture server)
{
    private const string Password = "member-password-1";

    [Fact]
    public async Task A_user_signs_in_with_any_identity_field_and_refreshes()
    {
        var name = await AuthCollections.CreateAsync(server, new JsonObject { ["passwordAuth"] = new JsonObject { ["enabled"] = true, ["identityFields"] = new JsonArray("email", "username") } });
        var email = await CreateUserAsync(name, "alice");

        var (byEmail, body) = await server.Guest.PostJsonAsync($"/api/collections/{name}/auth-with-password", new { identity = email, password = Password });
        var (byUsername, _) = await server.Guest.PostJsonAsync($"/api/collections/{name}/auth-with-password", new { identity = "alice", password = Password });
        var (byField, _) = await server.Guest.PostJsonAsync($"/api/collections/{name}/auth-with-password", new { identity = "alice", password = Password, identityField = "username" });

        Assert.Equal(HttpStatusCode.OK, byEmail);
        Assert.Equal(HttpStatusCode.OK, byUsername);
        Assert.Equal(HttpStatusCode.OK, byField);
        Assert.Equal(email, body!["record"]!["email"]!.GetValue<string>());
        Assert.Equal(name, body["record"]!["collectionName"]!.GetValue<string>());
        using var user = server.NewClient(body["token"]!.GetValue<string>());
        var (refreshed, _) = await user.PostJsonAsync($"/api/collections/{name}/auth-refresh", null);
        Assert.Equal(HttpStatusCode.OK, refreshed);
    }

    [Fact]
    public async Task Tokens_of_one_collection_are_refused_by_another_collections_refresh()
    {
        var name = await AuthCollections.CreateAsync(server, null);
        var email = await CreateUserAsync(name, "bob");
        using var user = await server.SignInAsync(name, email, Password);

        var (userOnSuperusers, _) = await user.PostJsonAsync("/api/collections/_superusers/auth-refresh", null);
        var (superuserOnUsers, _) = await server.Superuser.PostJsonAsync($"/api/collections/{name}/auth-refresh", null);

        Assert.Equal(HttpStatusCode.Forbidden, userOnSuperusers);
        Assert.Equal(HttpStatusCode.Forbidden, superuserOnUsers);
    }

    [Fact]
    public async Task A_user_token_does_not_make_a_superuser()
    {
        var name = await AuthCollections.CreateAsync(server, null);
        var email = await CreateUserAsync(name, "carol");
        using var user = await server.SignInAsync(name, email, Password);

        var (_, health) = await user.GetJsonAsync("/api/health");
        var (collections, _) = await user.GetJsonAsync("/api/collections");

        Assert.False(health!["data"]!.AsObject().ContainsKey("realIP"));
        Assert.NotEqual(HttpStatusCode.OK, collections);
    }

    [Fact]
    public async Task Disabled_password_auth_gives_403()
    {
        var name = await AuthCollections.CreateAsync(server, new JsonObject { ["passwordAuth"] = new JsonObject { ["enabled"] = false } });

        var (status, _) = await server.Guest.PostJsonAsync($"/api/collections/{name}/auth-with-password", new { identity = "x@example.com", password = Password });

        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task A_null_authRule_refuses_and_an_expression_authRule_filters()
    {
        var locked = await AuthCollections.CreateAsync(server, new JsonObject { ["authRule"] = null });
        var lockedEmail = await CreateUserAsync(locked, "dave");
        var verifiedOnly = await AuthCollections.CreateAsync(server, new JsonObject { ["authRule"] = "verified = true" });
        var unverifiedEmail = await CreateUserAsync(verifiedOnly, "erin");

        var (lockedStatus, lockedBody) = await server.Guest.PostJsonAsync($"/api/collections/{locked}/auth-with-password", new { identity = lockedEmail, password = Password });
        var (ruleStatus, _) = await server.Guest.PostJsonAsync($"/api/collections/{verifiedOnly}/auth-with-password", new { identity = unverifiedEmail, password = Password });

        Assert.Equal(HttpStatusCode.Forbidden, lockedStatus);
        Assert.Equal(403, lockedBody!["status"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Forbidden, ruleStatus);
    }

    [Fact]
    public async Task Base_collection_is_not_an_auth_context()
    {
        var name = HttpJson.UniqueName("posts");
        var (created, _) = await server.Superuser.PostJsonAsync("/api/collections", new { name, type = "base", fields = new[] { new { name = "title", type = "text" } } });
        Assert.Equal(HttpStatusCode.OK, created);

        var (status, envelope) = await server.Guest.PostJsonAsync($"/api/collections/{name}/auth-with-password", new { identity = "a@b.c", password = "x" });

        Assert.Equal(HttpStatusCode.NotFound, status);
        PlatformMiddlewareTests.AssertEnvelope(envelope, 404, "Missing or invalid auth collection context.");
    }

    [Fact]
    public async Task Fields_parameter_picks_from_the_auth_response()
    {
        var (status, body) = await server.Guest.PostJsonAsync(
            "/api/collections/_superusers/auth-with-password?fields=token,record.email",
            new { identity = BasaltServerFixture.SuperuserEmail, password = BasaltServerFixture.SuperuserPassword });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["record", "token"], body!.AsObject().Select(p => p.Key).Order());
        Assert.Equal(["email"], body["record"]!.AsObject().Select(p => p.Key));
    }

    /// <summary>§2.6: a new authRule rotates the collection's auth token secret; other option changes keep sessions.</summary>
    [Fact]
    public async Task Changing_the_auth_rule_signs_every_user_of_the_collection_out()
    {
        var name = await AuthCollections.CreateAsync(server, null);
        var email = await CreateUserAsync(name, "dora");
        using var user = await server.SignInAsync(name, email, Password);
        var refreshUrl = $"/api/collections/{name}/auth-refresh";

        var (other, _) = await server.Superuser.PatchJsonAsync($"/api/collections/{name}", new { listRule = "" });
        var (afterOtherChange, _) = await user.PostJsonAsync(refreshUrl, null);
        var (ruleChanged, _) = await server.Superuser.PatchJsonAsync($"/api/collections/{name}", new { authRule = "verified = false" });
        var (afterRuleChange, envelope) = await user.PostJsonAsync(refreshUrl, null);
        var (signIn, _) = await server.Guest.PostJsonAsync($"/api/collections/{name}/auth-with-password", new { identity = email, password = Password });

        Assert.Equal(HttpStatusCode.OK, other);
        Assert.Equal(HttpStatusCode.OK, afterOtherChange);
        Assert.Equal(HttpStatusCode.OK, ruleChanged);
        Assert.Equal(HttpStatusCode.Unauthorized, afterRuleChange);
        Assert.Equal(401, envelope!["status"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, signIn);
    }

    private async Task<string> CreateUserAsync(string collection, string username)
    {
        var email = username + "-" + Guid.NewGuid().ToString("N")[..6] + "@example.com";
        var (status, created) = await server.Superuser.PostJsonAsync(
            $"/api/collections/{collection}/records",
            new { email, username, password = Password, passwordConfirm = Password });
        Assert.True(status == HttpStatusCode.OK, created?.ToJsonString());
        return email;
    }
}

public sealed class AuthCollectionSqliteTests(SqliteServerFixture f) : AuthCollectionTests(f), IClassFixture<SqliteServerFixture>;

public sealed class AuthCollectionPostgresTests(PostgresServerFixture f) : AuthCollectionTests(f), IClassFixture<PostgresServerFixture>;
