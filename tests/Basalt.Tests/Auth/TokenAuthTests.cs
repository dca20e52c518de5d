using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Basalt.Auth;
using Basalt.Tests.Fixtures;
using Record = Basalt.Model.Record;

namespace Basalt.Tests.Auth;

/// <summary>
/// The token middleware over real HTTP (§1.5, §6): both header forms authenticate; anything invalid is a guest.
/// <c>/api/health</c> tells them apart: only a superuser sees <c>data.realIP</c>.
/// </summary>
public abstract class TokenAuthTests(BasaltServerFixture server)
{
    [Theory]
    [InlineData("{0}")]
    [InlineData("Bearer {0}")]
    [InlineData("bearer {0}")]
    [InlineData("BEARER   {0}  ")]
    public async Task Both_header_forms_authenticate(string format)
    {
        var token = await SignInTokenAsync();

        Assert.True(await IsSuperuserAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, token)));
    }

    [Fact]
    public async Task Tampered_token_is_a_guest()
    {
        var token = await SignInTokenAsync();
        var tampered = token[..^2] + (token[^2] == 'A' ? "BB" : "AA");

        Assert.False(await IsSuperuserAsync(tampered));
    }

    [Fact]
    public async Task Expired_token_is_a_guest()
    {
        var record = await SuperuserAsync();
        var expired = Tokens.CreateAuthToken(record, duration: TimeSpan.FromSeconds(-5));

        Assert.False(await IsSuperuserAsync(expired));
    }

    [Fact]
    public async Task Unsigned_alg_none_token_is_a_guest()
    {
        var token = await SignInTokenAsync();
        var payload = token.Split('.')[1];

        Assert.False(await IsSuperuserAsync(Base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + payload + "."));
    }

    [Fact]
    public async Task Token_signed_with_another_key_is_a_guest()
    {
        var record = await SuperuserAsync();
        var impostor = new Record(record.Collection) { Id = record.Id };
        impostor.Set("tokenKey", new string('x', 50));

        Assert.False(await IsSuperuserAsync(Tokens.CreateAuthToken(impostor)));
    }

    [Fact]
    public async Task Token_naming_another_collection_or_type_is_a_guest()
    {
        var record = await SuperuserAsync();
        var otherCollection = Tokens.Create(record, TokenService.AuthTokenOptions, TimeSpan.FromHours(1), Claims(record, "pbc_someother", "auth"));
        var byName = Tokens.Create(record, TokenService.AuthTokenOptions, TimeSpan.FromHours(1), Claims(record, record.Collection.Name, "auth"));
        var fileType = Tokens.Create(record, TokenService.AuthTokenOptions, TimeSpan.FromHours(1), Claims(record, record.Collection.Id, "file"));

        Assert.False(await IsSuperuserAsync(otherCollection));
        Assert.False(await IsSuperuserAsync(byName));
        Assert.False(await IsSuperuserAsync(fileType));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("Bearer ")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("a.b.c")]
    public async Task Junk_authorization_headers_are_guests_not_errors(string header)
    {
        Assert.False(await IsSuperuserAsync(header));
    }

    [Fact]
    public async Task Changing_the_password_rotates_tokenKey_and_invalidates_old_tokens()
    {
        var email = "rotate-" + Guid.NewGuid().ToString("N")[..8] + "@example.com";
        var superusers = server.Services.GetRequiredService<SuperuserService>();
        await superusers.UpsertAsync(email, "first-password-1", CancellationToken.None);
        using var first = await server.SignInAsync("_superusers", email, "first-password-1");
        var oldToken = first.DefaultRequestHeaders.Authorization?.ToString() ?? first.DefaultRequestHeaders.GetValues("Authorization").Single();

        await superusers.UpsertAsync(email, "second-password-2", CancellationToken.None);

        Assert.False(await IsSuperuserAsync(oldToken));
        using var second = await server.SignInAsync("_superusers", email, "second-password-2");
        var (status, _) = await second.GetJsonAsync("/api/health");
        Assert.Equal(HttpStatusCode.OK, status);
    }

    private TokenService Tokens => server.Services.GetRequiredService<TokenService>();

    private async Task<string> SignInTokenAsync()
    {
        var (_, body) = await server.Guest.PostJsonAsync(
            "/api/collections/_superusers/auth-with-password",
            new { identity = BasaltServerFixture.SuperuserEmail, password = BasaltServerFixture.SuperuserPassword });
        return body!["token"]!.GetValue<string>();
    }

    private async Task<Record> SuperuserAsync()
    {
        var auth = await server.Services.GetRequiredService<AuthService>().AuthenticateAsync(await SignInTokenAsync(), CancellationToken.None);
        return auth!.Record;
    }

    private async Task<bool> IsSuperuserAsync(string authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/health");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await server.Guest.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return body["data"]!.AsObject().ContainsKey("realIP");
    }

    private static Dictionary<string, object> Claims(Record record, string collectionId, string type) => new()
    {
        ["id"] = record.Id,
        ["type"] = type,
        ["collectionId"] = collectionId,
        ["refreshable"] = true,
    };

    private static string Base64Url(string json) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

public sealed class TokenAuthSqliteTests(SqliteServerFixture f) : TokenAuthTests(f), IClassFixture<SqliteServerFixture>;

public sealed class TokenAuthPostgresTests(PostgresServerFixture f) : TokenAuthTests(f), IClassFixture<PostgresServerFixture>;
