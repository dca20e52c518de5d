using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Basalt.Tests.Api;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Auth;

/// <summary>
/// <c>POST /api/collections/{c}/impersonate/{id}</c> (§7.2, §6): superusers get a non-refreshable token for any auth
/// record, which works as that record and which auth-refresh hands back unchanged.
/// </summary>
public abstract class ImpersonateTests(BasaltServerFixture server)
{
    private const string Password = "member-password-1";

    [Fact]
    public async Task A_superuser_gets_a_non_refreshable_token_that_acts_as_the_user()
    {
        var (id, email) = await CreateUserAsync("users");

        var (status, body) = await server.Superuser.PostJsonAsync($"/api/collections/users/impersonate/{id}", new { });

        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        Assert.Equal(id, body!["record"]!["id"]!.GetValue<string>());
        Assert.Equal(email, body["record"]!["email"]!.GetValue<string>());
        Assert.Equal("users", body["record"]!["collectionName"]!.GetValue<string>());
        Assert.False(body["record"]!.AsObject().ContainsKey("password"));
        Assert.False(body["record"]!.AsObject().ContainsKey("tokenKey"));
        var token = body["token"]!.GetValue<string>();
        var claims = Payload(token);
        Assert.False(claims["refreshable"]!.GetValue<bool>());
        Assert.Equal("auth", claims["type"]!.GetValue<string>());
        Assert.Equal(id, claims["id"]!.GetValue<string>());
        Assert.Equal("_pb_users_auth_", claims["collectionId"]!.GetValue<string>());
        AssertExpiresIn(claims, 432000);

        using var user = server.NewClient(token);
        var (viewed, own) = await user.GetJsonAsync($"/api/collections/users/records/{id}");
        Assert.Equal(HttpStatusCode.OK, viewed);
        Assert.Equal(email, own!["email"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_duration_sets_the_expiry_and_auth_refresh_returns_the_same_token()
    {
        var collection = await CreateAuthCollectionAsync();
        var (id, _) = await CreateUserAsync(collection);

        var (status, body) = await server.Superuser.PostJsonAsync($"/api/collections/{collection}/impersonate/{id}", new { duration = 120 });

        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        var token = body!["token"]!.GetValue<string>();
        AssertExpiresIn(Payload(token), 120);
        using var user = server.NewClient(token);
        var (refreshed, again) = await user.PostJsonAsync($"/api/collections/{collection}/auth-refresh", null);
        Assert.Equal(HttpStatusCode.OK, refreshed);
        Assert.Equal(token, again!["token"]!.GetValue<string>());
        Assert.Equal(id, again["record"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Form_bodies_and_fields_are_honoured()
    {
        var collection = await CreateAuthCollectionAsync();
        var (id, _) = await CreateUserAsync(collection);

        using var form = new FormUrlEncodedContent([new("duration", "60")]);
        using var response = await server.Superuser.PostAsync($"/api/collections/{collection}/impersonate/{id}?fields=token", form);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["token"], body!.AsObject().Select(p => p.Key));
        AssertExpiresIn(Payload(body["token"]!.GetValue<string>()), 60);
    }

    [Fact]
    public async Task Guests_get_401_and_other_auth_records_403()
    {
        var collection = await CreateAuthCollectionAsync();
        var (id, email) = await CreateUserAsync(collection);
        using var user = await server.SignInAsync(collection, email, Password);

        var (guestStatus, guestBody) = await server.Guest.PostJsonAsync($"/api/collections/{collection}/impersonate/{id}", new { });
        var (userStatus, userBody) = await user.PostJsonAsync($"/api/collections/{collection}/impersonate/{id}", new { });

        Assert.Equal(HttpStatusCode.Unauthorized, guestStatus);
        Assert.Equal(401, guestBody!["status"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Forbidden, userStatus);
        Assert.Equal(403, userBody!["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_missing_record_or_a_non_auth_collection_is_404()
    {
        var collection = await CreateAuthCollectionAsync();
        var posts = HttpJson.UniqueName("posts");
        var (created, _) = await server.Superuser.PostJsonAsync("/api/collections", new { name = posts, type = "base" });
        Assert.Equal(HttpStatusCode.OK, created);

        var (missing, missingBody) = await server.Superuser.PostJsonAsync($"/api/collections/{collection}/impersonate/abcdefghijklmno", new { });
        var (notAuth, notAuthBody) = await server.Superuser.PostJsonAsync($"/api/collections/{posts}/impersonate/abcdefghijklmno", new { });

        Assert.Equal(HttpStatusCode.NotFound, missing);
        PlatformMiddlewareTests.AssertEnvelope(missingBody, 404, "The requested resource wasn't found.");
        Assert.Equal(HttpStatusCode.NotFound, notAuth);
        PlatformMiddlewareTests.AssertEnvelope(notAuthBody, 404, "Missing or invalid auth collection context.");
    }

    [Theory]
    [InlineData("""{"duration":-1}""", "validation_min_greater_equal_than_required")]
    [InlineData("""{"duration":999999999999}""", "validation_max_less_equal_than_required")]
    public async Task An_out_of_range_duration_is_a_400_naming_the_field(string raw, string code)
    {
        var collection = await CreateAuthCollectionAsync();
        var (id, _) = await CreateUserAsync(collection);

        var (status, body) = await server.Superuser.PostJsonAsync($"/api/collections/{collection}/impersonate/{id}", raw);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(code, body!["data"]!["duration"]!["code"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"duration":"60"}""")]
    [InlineData("""{"duration":1.5}""")]
    [InlineData("""{"duration":[1]}""")]
    [InlineData("{not json")]
    public async Task A_malformed_duration_is_a_400(string raw)
    {
        var collection = await CreateAuthCollectionAsync();
        var (id, _) = await CreateUserAsync(collection);

        var (status, body) = await server.Superuser.PostJsonAsync($"/api/collections/{collection}/impersonate/{id}", raw);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(400, body!["status"]!.GetValue<int>());
    }

    private static JsonNode Payload(string token)
    {
        var part = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        part = part.PadRight(part.Length + ((4 - (part.Length % 4)) % 4), '=');
        return JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(part)))!;
    }

    private static void AssertExpiresIn(JsonNode claims, long seconds)
    {
        var expected = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + seconds;
        Assert.InRange(claims["exp"]!.GetValue<long>(), expected - 30, expected + 5);
    }

    private async Task<string> CreateAuthCollectionAsync()
    {
        var name = HttpJson.UniqueName("members");
        var (status, created) = await server.Superuser.PostJsonAsync("/api/collections", new
        {
            name,
            type = "auth",
            viewRule = "id = @request.auth.id",
        });
        Assert.True(status == HttpStatusCode.OK, created?.ToJsonString());
        return name;
    }

    private async Task<(string Id, string Email)> CreateUserAsync(string collection)
    {
        var email = "imp-" + Guid.NewGuid().ToString("N")[..8] + "@example.com";
        var (status, created) = await server.Superuser.PostJsonAsync(
            $"/api/collections/{collection}/records",
            new { email, password = Password, passwordConfirm = Password });
        Assert.True(status == HttpStatusCode.OK, created?.ToJsonString());
        return (created!["id"]!.GetValue<string>(), email);
    }
}

public sealed class ImpersonateSqliteTests(SqliteServerFixture f) : ImpersonateTests(f), IClassFixture<SqliteServerFixture>;

public sealed class ImpersonatePostgresTests(PostgresServerFixture f) : ImpersonateTests(f), IClassFixture<PostgresServerFixture>;
