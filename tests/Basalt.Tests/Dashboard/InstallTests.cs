using System.Net;
using Basalt.Auth;
using Basalt.Tests.Fixtures;

namespace Basalt.Tests.Dashboard;

/// <summary>
/// The first run in the browser on a server with no superuser: the install link's token works once (two racing
/// installs create one superuser), bad input leaves it usable, a wrong token fails, and once a superuser exists even a
/// fresh token creates nothing.
/// </summary>
public abstract class InstallTests(BasaltServerFixture server)
{
    private const string Email = "first@example.com";
    private const string Password = "first-password-1";

    [Fact]
    public async Task The_link_creates_the_first_superuser_once_and_signs_it_in()
    {
        var install = server.Services.GetRequiredService<SuperuserInstall>();
        var token = install.Issue();

        var (before, _) = await server.Guest.GetJsonAsync("/api/superusers/install?token=" + Uri.EscapeDataString(token));
        var (mismatch, mismatchBody) = await server.Guest.PostJsonAsync("/api/superusers/install", new { token, email = Email, password = Password, passwordConfirm = "other-password" });
        var (badEmail, badEmailBody) = await server.Guest.PostJsonAsync("/api/superusers/install", new { token, email = "not-an-email", password = Password, passwordConfirm = Password });
        var (shortPassword, _) = await server.Guest.PostJsonAsync("/api/superusers/install", new { token, email = Email, password = "short", passwordConfirm = "short" });
        var (stillUsable, _) = await server.Guest.GetJsonAsync("/api/superusers/install?token=" + Uri.EscapeDataString(token));

        // Two installs race with the same token: exactly one creates a superuser.
        var racing = await Task.WhenAll(
            server.Guest.PostJsonAsync("/api/superusers/install", new { token, email = Email, password = Password, passwordConfirm = Password }),
            server.Guest.PostJsonAsync("/api/superusers/install", new { token, email = "second@example.com", password = Password, passwordConfirm = Password }));
        var winner = Assert.Single(racing, r => r.Status == HttpStatusCode.OK);
        var loser = Assert.Single(racing, r => r.Status != HttpStatusCode.OK);

        var (after, _) = await server.Guest.GetJsonAsync("/api/superusers/install?token=" + Uri.EscapeDataString(token));
        var (again, _) = await server.Guest.PostJsonAsync("/api/superusers/install", new { token, email = "third@example.com", password = Password, passwordConfirm = Password });
        using var signedIn = server.NewClient(winner.Body!["token"]!.GetValue<string>());
        var (collections, _) = await signedIn.GetJsonAsync("/api/collections");
        var (_, superusers) = await signedIn.GetJsonAsync("/api/collections/_superusers/records");

        var fresh = install.Issue();
        var (afterInstall, afterInstallBody) = await server.Guest.PostJsonAsync("/api/superusers/install", new { token = fresh, email = "fourth@example.com", password = Password, passwordConfirm = Password });
        var (_, stillOne) = await signedIn.GetJsonAsync("/api/collections/_superusers/records");

        Assert.Equal(HttpStatusCode.NoContent, before);
        Assert.Equal(HttpStatusCode.BadRequest, mismatch);
        Assert.NotNull(mismatchBody!["data"]!["passwordConfirm"]);
        Assert.Equal(HttpStatusCode.BadRequest, badEmail);
        Assert.NotNull(badEmailBody!["data"]!["email"]);
        Assert.Equal(HttpStatusCode.BadRequest, shortPassword);
        Assert.Equal(HttpStatusCode.NoContent, stillUsable);
        Assert.Contains(loser.Status, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden });
        Assert.Equal("_superusers", winner.Body!["record"]!["collectionName"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, after);
        Assert.Equal(HttpStatusCode.Unauthorized, again);
        Assert.Equal(HttpStatusCode.OK, collections);
        Assert.Equal(1, superusers!["totalItems"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Forbidden, afterInstall);
        Assert.Equal(403, afterInstallBody!["status"]!.GetValue<int>());
        Assert.Equal(1, stillOne!["totalItems"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("")]
    [InlineData("wrong-token")]
    public async Task A_wrong_token_is_refused_and_reported_expired(string token)
    {
        var (check, checkBody) = await server.Guest.GetJsonAsync("/api/superusers/install?token=" + token);
        var (status, body) = await server.Guest.PostJsonAsync("/api/superusers/install", new { token, email = "x@example.com", password = Password, passwordConfirm = Password });
        var (noToken, _) = await server.Guest.PostJsonAsync("/api/superusers/install", new { email = "x@example.com", password = Password, passwordConfirm = Password });
        var (broken, _) = await server.Guest.PostJsonAsync("/api/superusers/install", "{broken");

        Assert.Equal(HttpStatusCode.NotFound, check);
        Assert.Equal(404, checkBody!["status"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(401, body!["status"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Unauthorized, noToken);
        Assert.Equal(HttpStatusCode.BadRequest, broken);
    }
}

/// <summary>A SQLite server with no superuser.</summary>
public sealed class NoSuperuserSqliteFixture : BasaltServerFixture
{
    protected override StorageKind Kind => StorageKind.Sqlite;

    protected override bool WithSuperuser => false;
}

/// <summary>A PostgreSQL server with no superuser.</summary>
public sealed class NoSuperuserPostgresFixture : BasaltServerFixture
{
    protected override StorageKind Kind => StorageKind.Postgres;

    protected override bool WithSuperuser => false;
}

public sealed class InstallSqliteTests(NoSuperuserSqliteFixture f) : InstallTests(f), IClassFixture<NoSuperuserSqliteFixture>;

public sealed class InstallPostgresTests(NoSuperuserPostgresFixture f) : InstallTests(f), IClassFixture<NoSuperuserPostgresFixture>;
