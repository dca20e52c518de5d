using System.Net;
using Basalt.Auth;
using Basalt.Errors;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Auth;

/// <summary><c>SuperuserService.UpsertAsync</c>: creates, updates in place, and refuses bad input with per-field errors.</summary>
public abstract class SuperuserServiceTests(BasaltServerFixture server)
{
    private SuperuserService Superusers => server.Services.GetRequiredService<SuperuserService>();

    [Theory]
    [InlineData("not-an-email", "long-enough-pw", "email")]
    [InlineData("", "long-enough-pw", "email")]
    [InlineData("ok@example.com", "short", "password")]
    [InlineData("ok@example.com", "", "password")]
    public async Task Invalid_input_names_the_field(string email, string password, string field)
    {
        var error = await Assert.ThrowsAsync<ApiError>(() => Superusers.UpsertAsync(email, password, CancellationToken.None));

        Assert.Equal(400, error.Status);
        Assert.True(error.Data.ContainsKey(field), error.Data.ToJsonString());
    }

    [Fact]
    public async Task Password_longer_than_bcrypt_allows_is_refused()
    {
        var error = await Assert.ThrowsAsync<ApiError>(() => Superusers.UpsertAsync("long@example.com", new string('p', 72), CancellationToken.None));

        Assert.True(error.Data.ContainsKey("password"));
    }

    [Fact]
    public async Task Upsert_twice_keeps_one_record_with_the_new_password()
    {
        var email = "twice-" + Guid.NewGuid().ToString("N")[..8] + "@example.com";
        await Superusers.UpsertAsync(email, "password-one-1", CancellationToken.None);
        using var first = await server.SignInAsync("_superusers", email, "password-one-1");
        var (_, before) = await first.PostJsonAsync("/api/collections/_superusers/auth-refresh", null);

        await Superusers.UpsertAsync(email.ToUpperInvariant(), "password-two-2", CancellationToken.None);

        using var second = await server.SignInAsync("_superusers", email, "password-two-2");
        var (_, after) = await second.PostJsonAsync("/api/collections/_superusers/auth-refresh", null);
        Assert.Equal(before!["record"]!["id"]!.GetValue<string>(), after!["record"]!["id"]!.GetValue<string>());
        var (status, _) = await server.Guest.PostJsonAsync("/api/collections/_superusers/auth-with-password", new { identity = email, password = "password-one-1" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task Created_superuser_has_created_and_updated_stamps()
    {
        var email = "stamps-" + Guid.NewGuid().ToString("N")[..8] + "@example.com";
        await Superusers.UpsertAsync(email, "stamp-password", CancellationToken.None);
        using var client = await server.SignInAsync("_superusers", email, "stamp-password");

        var (_, body) = await client.PostJsonAsync("/api/collections/_superusers/auth-refresh", null);

        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}Z$", body!["record"]!["created"]!.GetValue<string>());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}Z$", body["record"]!["updated"]!.GetValue<string>());
    }
}

public sealed class SuperuserServiceSqliteTests(SqliteServerFixture f) : SuperuserServiceTests(f), IClassFixture<SqliteServerFixture>;

public sealed class SuperuserServicePostgresTests(PostgresServerFixture f) : SuperuserServiceTests(f), IClassFixture<PostgresServerFixture>;
