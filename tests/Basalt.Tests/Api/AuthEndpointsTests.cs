using System.Net;
using Basalt.Auth;
using Basalt.Model;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Api;

/// <summary><c>auth-with-password</c> and <c>auth-refresh</c> (§7.1, §7.2) on the superusers collection.</summary>
public abstract class AuthEndpointsTests(BasaltServerFixture server)
{
    private const string SignIn = "/api/collections/_superusers/auth-with-password";
    private const string Refresh = "/api/collections/_superusers/auth-refresh";

    public static TheoryData<string, object, HttpStatusCode, string> FailedSignIns => new()
    {
        { "wrong password", new { identity = BasaltServerFixture.SuperuserEmail, password = "wrong-password" }, HttpStatusCode.BadRequest, "Failed to authenticate." },
        { "unknown identity", new { identity = "nobody@example.com", password = BasaltServerFixture.SuperuserPassword }, HttpStatusCode.BadRequest, "Failed to authenticate." },
        { "not an email", new { identity = "root", password = BasaltServerFixture.SuperuserPassword }, HttpStatusCode.BadRequest, "Failed to authenticate." },
        { "blank", new { identity = "", password = "" }, HttpStatusCode.BadRequest, "An error occurred while validating the submitted data." },
        { "disallowed identity field", new { identity = "root", password = "x", identityField = "name" }, HttpStatusCode.BadRequest, "An error occurred while validating the submitted data." },
    };

    [Fact]
    public async Task Sign_in_returns_token_and_record_with_email_but_no_secrets()
    {
        var (status, body) = await server.Guest.PostJsonAsync(SignIn, new { identity = BasaltServerFixture.SuperuserEmail, password = BasaltServerFixture.SuperuserPassword });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3, body!["token"]!.GetValue<string>().Split('.').Length);
        var record = body["record"]!.AsObject();
        Assert.Equal(BasaltServerFixture.SuperuserEmail, record["email"]!.GetValue<string>());
        Assert.Equal(SystemCollections.Superusers, record["collectionName"]!.GetValue<string>());
        Assert.Matches("^[a-z0-9]{15}$", record["id"]!.GetValue<string>());
        Assert.False(record.ContainsKey("password"));
        Assert.False(record.ContainsKey("tokenKey"));
    }

    [Fact]
    public async Task Sign_in_matches_email_case_insensitively_and_accepts_identityField()
    {
        var (status, _) = await server.Guest.PostJsonAsync(SignIn, new { identity = BasaltServerFixture.SuperuserEmail.ToUpperInvariant(), password = BasaltServerFixture.SuperuserPassword });
        var (withField, _) = await server.Guest.PostJsonAsync(SignIn, new { identity = BasaltServerFixture.SuperuserEmail, password = BasaltServerFixture.SuperuserPassword, identityField = "email" });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.OK, withField);
    }

    [Fact]
    public async Task Sign_in_accepts_a_urlencoded_form()
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["identity"] = BasaltServerFixture.SuperuserEmail,
            ["password"] = BasaltServerFixture.SuperuserPassword,
        });
        using var response = await server.Guest.PostAsync(SignIn, form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(FailedSignIns))]
    public async Task Failed_sign_ins_give_the_envelope(string name, object body, HttpStatusCode expected, string message)
    {
        var (status, envelope) = await server.Guest.PostJsonAsync(SignIn, body);

        Assert.True(expected == status, name);
        PlatformMiddlewareTests.AssertEnvelope(envelope, (int)expected, message);
    }

    [Fact]
    public async Task Blank_credentials_name_each_field()
    {
        var (_, envelope) = await server.Guest.PostJsonAsync(SignIn, new { });

        Assert.Equal("validation_required", envelope!["data"]!["identity"]!["code"]!.GetValue<string>());
        Assert.Equal("validation_required", envelope["data"]!["password"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_collection_gives_404_auth_context_error()
    {
        var (status, envelope) = await server.Guest.PostJsonAsync("/api/collections/does_not_exist/auth-with-password", new { identity = "a@b.c", password = "x" });

        Assert.Equal(HttpStatusCode.NotFound, status);
        PlatformMiddlewareTests.AssertEnvelope(envelope, 404, "Missing or invalid auth collection context.");
    }

    [Fact]
    public async Task Refresh_without_auth_gives_401()
    {
        var (status, envelope) = await server.Guest.PostJsonAsync(Refresh, null);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(401, envelope!["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task Refresh_from_another_collection_path_gives_403()
    {
        var (status, _) = await server.Superuser.PostJsonAsync("/api/collections/users_elsewhere/auth-refresh", null);

        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task Refresh_returns_a_valid_token_and_the_record()
    {
        var (status, body) = await server.Superuser.PostJsonAsync(Refresh, null);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(BasaltServerFixture.SuperuserEmail, body!["record"]!["email"]!.GetValue<string>());
        using var refreshed = server.NewClient(body["token"]!.GetValue<string>());
        var (again, _) = await refreshed.PostJsonAsync(Refresh, null);
        Assert.Equal(HttpStatusCode.OK, again);
    }

    [Fact]
    public async Task Refresh_of_a_non_refreshable_token_returns_it_unchanged()
    {
        var record = await SuperuserRecordAsync();
        var token = server.Services.GetRequiredService<TokenService>().CreateAuthToken(record, refreshable: false);
        using var client = server.NewClient(token);

        var (status, body) = await client.PostJsonAsync(Refresh, null);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(token, body!["token"]!.GetValue<string>());
    }

    [Fact]
    public async Task Refresh_works_by_collection_id_too()
    {
        var record = await SuperuserRecordAsync();

        var (status, _) = await server.Superuser.PostJsonAsync($"/api/collections/{record.Collection.Id}/auth-refresh", null);

        Assert.Equal(HttpStatusCode.OK, status);
    }

    private async Task<Basalt.Model.Record> SuperuserRecordAsync()
    {
        var (_, body) = await server.Guest.PostJsonAsync(SignIn, new { identity = BasaltServerFixture.SuperuserEmail, password = BasaltServerFixture.SuperuserPassword });
        var auth = await server.Services.GetRequiredService<AuthService>().AuthenticateAsync(body!["token"]!.GetValue<string>(), CancellationToken.None);
        return auth!.Record;
    }
}

public sealed class AuthEndpointsSqliteTests(SqliteServerFixture f) : AuthEndpointsTests(f), IClassFixture<SqliteServerFixture>;

public sealed class AuthEndpointsPostgresTests(PostgresServerFixture f) : AuthEndpointsTests(f), IClassFixture<PostgresServerFixture>;
