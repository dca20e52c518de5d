using System.Net;
using System.Text.Json.Nodes;
using Basalt.Tests.Api;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Auth;

/// <summary><c>GET /api/collections/{c}/auth-methods</c> (§7.2): public, shaped as PocketBase answers, honouring the options.</summary>
public abstract class AuthMethodsTests(BasaltServerFixture server)
{
    [Fact]
    public async Task A_default_auth_collection_offers_password_by_email_only()
    {
        var name = await AuthCollections.CreateAsync(server, null);

        var (status, body) = await server.Guest.GetJsonAsync($"/api/collections/{name}/auth-methods");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(
            """{"password":{"enabled":true,"identityFields":["email"]},"oauth2":{"enabled":false,"providers":[]},""" +
            """ "mfa":{"enabled":false,"duration":0},"otp":{"enabled":false,"duration":0},""".TrimStart() +
            """ "authProviders":[],"usernamePassword":false,"emailPassword":true}""".TrimStart(),
            body!.ToJsonString());
    }

    [Fact]
    public async Task Enabled_methods_report_their_identity_fields_and_durations()
    {
        var name = await AuthCollections.CreateAsync(server, new JsonObject
        {
            ["passwordAuth"] = new JsonObject { ["enabled"] = true, ["identityFields"] = new JsonArray("email", "username") },
            ["mfa"] = new JsonObject { ["enabled"] = true, ["duration"] = 900 },
            ["otp"] = new JsonObject { ["enabled"] = true, ["duration"] = 300 },
        });

        var (status, body) = await server.Guest.GetJsonAsync($"/api/collections/{name}/auth-methods");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["email", "username"], body!["password"]!["identityFields"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal("""{"enabled":true,"duration":900}""", body["mfa"]!.ToJsonString());
        Assert.Equal("""{"enabled":true,"duration":300}""", body["otp"]!.ToJsonString());
        Assert.True(body["usernamePassword"]!.GetValue<bool>());
        Assert.True(body["emailPassword"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Disabled_password_auth_reports_no_identity_fields()
    {
        var name = await AuthCollections.CreateAsync(server, new JsonObject
        {
            ["passwordAuth"] = new JsonObject { ["enabled"] = false, ["identityFields"] = new JsonArray("email", "username") },
            ["otp"] = new JsonObject { ["enabled"] = true },
        });

        var (status, body) = await server.Guest.GetJsonAsync($"/api/collections/{name}/auth-methods");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"enabled":false,"identityFields":[]}""", body!["password"]!.ToJsonString());
        Assert.False(body["usernamePassword"]!.GetValue<bool>());
        Assert.False(body["emailPassword"]!.GetValue<bool>());
        Assert.Equal(180, body["otp"]!["duration"]!.GetValue<int>());
    }

    [Fact]
    public async Task Fields_parameter_drops_the_legacy_members_as_the_SDK_asks()
    {
        var (status, body) = await server.Guest.GetJsonAsync("/api/collections/_superusers/auth-methods?fields=mfa,otp,password,oauth2");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["mfa", "oauth2", "otp", "password"], body!.AsObject().Select(p => p.Key).Order());
        Assert.True(body["password"]!["enabled"]!.GetValue<bool>());
    }

    [Fact]
    public async Task The_default_users_collection_answers_by_name_and_id()
    {
        var (byName, named) = await server.Guest.GetJsonAsync("/api/collections/users/auth-methods");
        var (byId, identified) = await server.Guest.GetJsonAsync("/api/collections/_pb_users_auth_/auth-methods");

        Assert.Equal(HttpStatusCode.OK, byName);
        Assert.Equal(HttpStatusCode.OK, byId);
        Assert.Equal(named!.ToJsonString(), identified!.ToJsonString());
    }

    [Fact]
    public async Task A_base_or_unknown_collection_is_404()
    {
        var name = HttpJson.UniqueName("posts");
        var (created, _) = await server.Superuser.PostJsonAsync("/api/collections", new { name, type = "base" });
        Assert.Equal(HttpStatusCode.OK, created);

        var (baseStatus, baseBody) = await server.Guest.GetJsonAsync($"/api/collections/{name}/auth-methods");
        var (missingStatus, missingBody) = await server.Guest.GetJsonAsync($"/api/collections/{HttpJson.UniqueName("nope")}/auth-methods");

        Assert.Equal(HttpStatusCode.NotFound, baseStatus);
        PlatformMiddlewareTests.AssertEnvelope(baseBody, 404, "Missing or invalid auth collection context.");
        Assert.Equal(HttpStatusCode.NotFound, missingStatus);
        PlatformMiddlewareTests.AssertEnvelope(missingBody, 404, "Missing or invalid auth collection context.");
    }

}

public sealed class AuthMethodsSqliteTests(SqliteServerFixture f) : AuthMethodsTests(f), IClassFixture<SqliteServerFixture>;

public sealed class AuthMethodsPostgresTests(PostgresServerFixture f) : AuthMethodsTests(f), IClassFixture<PostgresServerFixture>;
